"""What the carers' portal keeps of its own: invitations to open an account, when accounts
were ended, and the history of "no contact / restricted" decisions on a carer's link to a
child; complaints and worries (policy section 3.6), each with the date the school must
respond by, routed to leadership or to the DSL team and acknowledged to the family, their
responses appended, never edited (a correction is a new response naming the one it
corrects). Records that staff pages of lower apps read (a family's report of illness, feedback
on work, a ground-rules agreement) live in those apps and are written through their
services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.links import site_url
from core.mailing import family_body
from core.outbox import OutboxMessage
from schools.models import Carer, CarerLink, Pupil, School, SchoolClass, Site

INVITATION_VALID_DAYS = 7


class CarerInvitation(models.Model):
    """A one-time invitation for a carer to open their portal account, sent from a child's
    page to the carer's email on record. The link's token is kept only as a digest."""

    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="portal_invitations")
    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The child whose page the invitation was sent from.",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-invited_at", "-id"]
        indexes = [models.Index(fields=["carer", "-invited_at"], name="families_invite_carer")]

    def __str__(self) -> str:
        return f"Invitation {self.pk} for carer {self.carer_id}"

    def is_open(self, now: object = None) -> bool:
        """Not yet used, not revoked and not expired."""
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


class CarerInvitationEmail(OutboxMessage):
    """The carer's invitation email: the one-time link, which is forgotten once sent."""

    invitation = models.OneToOneField(
        CarerInvitation, on_delete=models.CASCADE, related_name="email"
    )
    link = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation email for invitation {self.invitation_id}"

    def email_recipients(self) -> list[str]:
        return [self.invitation.carer.email]

    def email_subject(self) -> str:
        return f"Your invitation to {self.invitation.carer.school.name}'s family pages"

    def email_body(self) -> str:
        school = self.invitation.carer.school.name
        return (
            f"{school} has invited you to its pages for parents and carers, where you can "
            "tell the school how your child is, see their week and read the school's messages."
            f"\n\nOpen your account here:\n\n{self.link}\n\nThe link works once and expires on "
            f"{timezone.localtime(self.invitation.expires_at):%d/%m/%Y at %H:%M}. If you did not "
            f"expect this email, please contact {school}."
        )

    def forget_after_sending(self) -> dict[str, object]:
        return {"link": ""}


class CarerAccountEnding(models.Model):
    """A carer's portal account ended by staff: the account stops at its next request."""

    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="portal_endings")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(max_length=1000)

    class Meta:
        ordering = ["-ended_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="families_ending_has_a_reason",
                violation_error_message="Say why this account is ending.",
            )
        ]

    def __str__(self) -> str:
        return f"Account of carer {self.carer_id} ended {self.ended_at:%d/%m/%Y}"


class CarerRestrictionChange(models.Model):
    """One "no contact / restricted" decision on a carer's link to a child, or its lifting:
    who, when and why. The link holds the current state; this is its history, never
    overwritten."""

    link = models.ForeignKey(
        CarerLink, on_delete=models.PROTECT, related_name="restriction_changes"
    )
    restricted = models.BooleanField(help_text="True: restricted; False: restriction lifted.")
    reason = models.TextField(max_length=2000)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="families_restriction_change_has_a_reason",
                violation_error_message="Say why (a court order or the DSL's decision).",
            )
        ]

    def __str__(self) -> str:
        return f"Link {self.link_id}: {'restricted' if self.restricted else 'lifted'}"


COMPLAINT_TEXT_LIMIT = 3000
RESPONSE_TEXT_LIMIT = 3000


class Complaint(models.Model):
    """A complaint or worry a parent or carer made through the carers' portal.

    ``school_class`` and ``site`` are the child's at the time (none when it is not about a
    child), so leadership scoped to a site or class see the complaints about their pupils
    (schools.permissions.scoped_record_grant) and the routing stays as it was received.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The carer's own sign-in.",
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    about_safety = models.BooleanField(
        "about a child's safety",
        help_text="A worry about a child's safety goes to the safeguarding team.",
    )
    text = models.TextField(max_length=COMPLAINT_TEXT_LIMIT)
    received_at = models.DateTimeField()
    response_due = models.DateField(
        help_text="The school's response deadline, from its setting when it was received."
    )
    response_days = models.PositiveSmallIntegerField(
        help_text="The school days allowed, as the setting stood when it was received."
    )

    class Meta:
        ordering = ["response_due", "received_at", "id"]
        indexes = [
            models.Index(fields=["school", "response_due"], name="families_complaint_due"),
        ]

    def __str__(self) -> str:
        kind = "Worry about safety" if self.about_safety else "Complaint"
        return f"{kind} {self.pk}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A complaint is kept as it was received: respond to it instead.")
        super().save(*args, **kwargs)

    @property
    def routed_to(self) -> str:
        return "The safeguarding team" if self.about_safety else "Senior leaders"


class ComplaintResponse(models.Model):
    """The school's response to a complaint, kept for good. A correction is a new response
    that names the one it corrects."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="responses")
    text = models.TextField(max_length=RESPONSE_TEXT_LIMIT)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField()

    class Meta:
        ordering = ["responded_at", "id"]

    def __str__(self) -> str:
        return f"Response {self.pk} to complaint {self.complaint_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A response is never changed: add a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> None:
        raise ValueError("A response is never deleted: add a correction instead.")


class ComplaintAcknowledgement(OutboxMessage):
    """The email telling the family their complaint was received and when the school will
    respond by. It repeats nothing they wrote and names no child."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="acknowledgement"
    )

    def __str__(self) -> str:
        return f"Acknowledgement of complaint {self.complaint_id}"

    def email_recipients(self) -> list[str]:
        return [self.complaint.carer.email] if self.complaint.carer.email else []

    def email_subject(self) -> str:
        return "We have received your message"

    def email_body(self) -> str:
        complaint = self.complaint
        what = "worry" if complaint.about_safety else "complaint"
        return family_body(
            f"Thank you for telling us. We received your {what} on "
            f"{complaint.received_at:%d/%m/%Y} and will respond by "
            f"{complaint.response_due:%d/%m/%Y}.\n\nIf a child is in immediate danger, call "
            "999.",
            school_name=complaint.school.name,
        )


class ComplaintNotice(OutboxMessage):
    """An email to one member of staff that a complaint (or a worry about a child's safety)
    has come in: a link to sign in and read it, and nothing of what it says."""

    # A worry about a child's safety must reach the team: never given up, as a concern's alert.
    give_up_after = None

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="complaint_notices"
    )
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notices")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "complaint"], name="families_complaint_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"Notice of complaint {self.complaint_id}"

    def email_recipients(self) -> list[str]:
        return [self.recipient.email]

    def email_subject(self) -> str:
        if self.complaint.about_safety:
            return "A family has raised a worry about a child's safety"
        return "A family has made a complaint"

    def email_body(self) -> str:
        link = site_url(reverse("families:complaint_detail", args=[self.complaint_id]))
        return (
            "Please sign in and read it; the school's response is due by "
            f"{self.complaint.response_due:%d/%m/%Y}:\n\n{link}\n\n"
            "This message does not contain any details of what the family wrote."
        )
