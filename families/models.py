"""What the carers' portal keeps of its own: invitations to open an account, when accounts
were ended, and the history of "no contact / restricted" decisions on a carer's link to a
child. Records that staff pages of lower apps read (a family's report of illness, feedback on
work, a ground-rules agreement) live in those apps and are written through their services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.outbox import OutboxMessage
from schools.models import Carer, CarerLink, Pupil

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
