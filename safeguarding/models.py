"""Safeguarding (policy sections 3.2, 3.4 and 4): concerns and their triage by the site's DSL
team, notifications that are never lost, home visits, and what a longer absence requires.

Nothing here is edited in place once recorded: a concern's account is fixed when it is
submitted, and corrections and additions are addenda; actions, decisions and referrals are
added, each with who and when.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from contacts.models import ContactLog
from core.documents import StoredDocument
from core.links import site_url
from core.outbox import OutboxMessage
from schools.models import Carer, Pupil, School, Site, Term, urn_validator

TEXT_LIMIT = 10_000


class ConcernCategory(models.Model):
    """A school's categories of concern (for example neglect, emotional wellbeing, online)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="concern_categories")
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    records_body_map = models.BooleanField(
        "records a body map",
        default=False,
        help_text="Concerns in this category (physical abuse, injuries) can have marks recorded "
        "on a body outline.",
    )
    dsl_team_only = models.BooleanField(
        "for the DSL team only",
        default=False,
        help_text="Concerns in this category (for example an allegation about a member of staff) "
        "are seen only by the DSL team of the pupil's site: not by the headteacher or SLT "
        "unless they also hold a DSL role. The member of staff who raised one still sees "
        "that it was received.",
    )

    class Meta:
        verbose_name_plural = "concern categories"
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="sg_category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", "Immediate: a child may be at risk now"
    HIGH = "high", "High"
    ROUTINE = "routine", "Routine"


class ConcernStatus(models.TextChoices):
    RAISED = "raised", "Raised, not yet acknowledged"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CLOSED = "closed", "Closed"


class ConcernSource(models.TextChoices):
    CONTACT = "contact", "A contact with the family"
    VIRTUAL_SESSION = "session", "A virtual session"
    HOME_VISIT = "home_visit", "A home visit"
    OTHER = "other", "Something else"


class Concern(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="concerns")
    source = models.CharField(
        max_length=10, choices=ConcernSource.choices, default=ConcernSource.OTHER
    )
    contact = models.ForeignKey(
        ContactLog, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    session = models.ForeignKey(
        "VirtualSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        help_text="The virtual session that was stopped for this concern.",
    )
    category = models.ForeignKey(ConcernCategory, on_delete=models.PROTECT, related_name="+")
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    what_happened = models.TextField(max_length=TEXT_LIMIT)
    childs_words = models.TextField("the child's own words", blank=True, max_length=TEXT_LIMIT)
    happened_at = models.DateTimeField("when it happened")
    where = models.CharField(max_length=300, blank=True)
    others_told = models.CharField("who else has been told", max_length=500, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.RAISED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the site's DSL team was reminded of this concern, still unacknowledged.",
    )
    escalated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When this concern, still unacknowledged, went to the headteacher.",
    )
    outcome = models.TextField(
        blank=True,
        max_length=TEXT_LIMIT,
        help_text="The decision the concern was closed with (for example: no further action).",
    )
    close_reason = models.TextField(
        "reason for closing",
        blank=True,
        max_length=TEXT_LIMIT,
        help_text="Why that decision was taken: what a safeguarding record must hold.",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    other_pupils = models.ManyToManyField(
        Pupil,
        through="ConcernPupil",
        blank=True,
        related_name="named_in_concerns",
        help_text="Other pupils of the school involved in what happened (a sibling, a friend).",
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""),
                name="sg_concern_closed_has_outcome",
                violation_error_message="A concern is closed with its outcome.",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(close_reason=""),
                name="sg_concern_closed_has_reason",
                violation_error_message="A concern is closed with the reason for its outcome.",
            ),
        ]
        indexes = [models.Index(fields=["status", "urgency", "raised_at"])]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:concern_detail", args=[self.pk])


class ConcernPupil(models.Model):
    """Another pupil named in a concern about a pupil: the concern is in their chronology too.

    Never removed: a pupil named later is a new row, with who named them, when and why (those
    named when the concern was raised have no reason).
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="named_pupils")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(
        "why they are named",
        blank=True,
        max_length=TEXT_LIMIT,
        help_text="Left blank when the pupil was named as the concern was raised.",
    )

    class Meta:
        ordering = ["concern", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "pupil"], name="sg_concernpupil_once")
        ]

    def __str__(self) -> str:
        return f"Pupil {self.pupil_id} named in concern {self.concern_id}"


class Addendum(models.Model):
    """A correction or addition to a concern: the original account is never changed."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField(max_length=TEXT_LIMIT)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "addenda"
        ordering = ["concern", "added_at", "id"]

    def __str__(self) -> str:
        return f"Addendum to concern {self.concern_id}"


class BodyMarkView(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"


class BodyMarkKind(models.TextChoices):
    BRUISE = "bruise", "Bruise"
    CUT = "cut", "Cut or graze"
    BURN = "burn", "Burn"
    MARK = "mark", "Mark"
    OTHER = "other", "Other"


class BodyMark(models.Model):
    """A mark seen on the child, placed on the front or back body outline of a physical concern.

    Never edited: a correction is a new mark that supersedes this one, with the reason. The
    position is across (x) and down (y) within the view, 0 to 100; the region is worked out
    from it (safeguarding.body_map.outline) and kept with its name, for screen readers and print.
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="body_marks")
    view = models.CharField(max_length=5, choices=BodyMarkView.choices)
    x = models.FloatField("across")
    y = models.FloatField("down")
    region = models.CharField(max_length=40)
    region_name = models.CharField("where on the body", max_length=60)
    kind = models.CharField(max_length=6, choices=BodyMarkKind.choices)
    size = models.CharField(max_length=100)
    colour = models.CharField(max_length=100, blank=True)
    childs_explanation = models.TextField(
        "the child's explanation", blank=True, max_length=TEXT_LIMIT
    )
    seen_by = models.CharField("who saw it", max_length=300)
    seen_at = models.DateTimeField("when it was seen")
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The mark this one corrects.",
    )
    correction_reason = models.TextField(blank=True, max_length=TEXT_LIMIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["concern", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(x__gte=0, x__lte=100, y__gte=0, y__lte=100),
                name="sg_bodymark_within_view",
                violation_error_message="A mark is placed within the outline's box.",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="sg_bodymark_correction_has_reason",
                violation_error_message="A correction says why.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on the {self.region_name} ({self.get_view_display()})"


class Action(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="actions")
    what = models.CharField(max_length=500)
    who = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["concern", "recorded_at", "id"]

    def __str__(self) -> str:
        return self.what


class ActionFlag(models.Model):
    """An action still not done after its due date: one per action (its due date is fixed once
    recorded), raised by the daily rule and resolved when the action is done.

    Not a case flag (cases.Flag): a concern need not belong to a remote-education case, and a
    case's flags are shown to everyone working on the case, while a concern's handling is for
    the DSL team and the headteacher alone. So its flag lives with the concern, is emailed to
    the person who is to do it and the site's DSL team, and is listed on the DSL dashboard.
    """

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="flag")
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        indexes = [models.Index(fields=["resolved_at"], name="sg_actionflag_open")]

    def __str__(self) -> str:
        return f"Action {self.action_id} overdue"


class Decision(models.Model):
    """A discussion or decision with its reason: what a safeguarding record must hold."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="decisions")
    decision = models.TextField(max_length=TEXT_LIMIT)
    reason = models.TextField(max_length=TEXT_LIMIT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["concern", "decided_at", "id"]

    def __str__(self) -> str:
        return f"Decision on concern {self.concern_id}"


class InformedHow(models.TextChoices):
    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"
    LETTER = "letter", "Letter"


class Agency(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    EARLY_HELP = "early_help", "Early help"
    POLICE = "police", "Police"
    CAMHS = "camhs", "CAMHS (children's mental health services)"
    LADO = "lado", "The LADO (allegations about adults)"
    HEALTH = "health", "Health"
    LOCAL_AUTHORITY = "la", "The local authority"
    OTHER = "other", "Other"


# The SafeguardingSettings field holding each agency's expected response, in working days.
RESPONSE_SETTING = {
    Agency.SOCIAL_CARE: "referral_social_care_working_days",
    Agency.EARLY_HELP: "referral_early_help_working_days",
    Agency.POLICE: "referral_police_working_days",
    Agency.CAMHS: "referral_camhs_working_days",
    Agency.LADO: "referral_lado_working_days",
    Agency.HEALTH: "referral_other_working_days",
    Agency.LOCAL_AUTHORITY: "referral_other_working_days",
    Agency.OTHER: "referral_other_working_days",
}


class Referral(models.Model):
    """A referral to an agency and the response expected from it.

    ``response_due_on`` is what was expected when the referral was made (its date plus the
    school's working days for that agency, fixed then); ``due_on`` is when a response is next
    awaited, moved on by each chase. Referrals recorded before response times were kept have
    neither, and are never overdue.
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="referrals")
    agency = models.CharField(max_length=12, choices=Agency.choices)
    referred_on = models.DateField("date of the referral", default=timezone.localdate)
    reference = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True, max_length=TEXT_LIMIT)
    expected_within_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    response_due_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["concern", "made_at", "id"]
        indexes = [models.Index(fields=["due_on"], name="sg_referral_due")]

    def __str__(self) -> str:
        return f"Referral to {self.get_agency_display()}"


class ConcernDocument(StoredDocument):
    """A document on a concern or one of its referrals (a referral form, visit notes): part of
    the child-protection file, read by the DSL team and the headteacher only, and kept with it
    (retention never deletes a child-protection file)."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="documents")
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text="The referral it belongs to, if any (for example the form that was sent).",
    )

    class Meta(StoredDocument.Meta):
        indexes = [models.Index(fields=["concern", "attached_at"], name="sg_document_by_concern")]


class ReferralResponse(models.Model):
    """What the agency answered. Never edited: a correction is a new response naming the one
    it corrects, and both are kept."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="responses")
    responded_on = models.DateField("date of the response")
    responded_by = models.CharField("who responded", max_length=200)
    what_they_said = models.TextField(max_length=TEXT_LIMIT)
    outcome = models.CharField(max_length=300)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["referral", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"Response to referral {self.referral_id}"


class ReferralChase(models.Model):
    """The agency was chased for its response: when, how, who was spoken to, what was said,
    and the date the next response is then awaited by."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="chases")
    chased_on = models.DateField("date of the chase")
    how = models.CharField(max_length=10, choices=InformedHow.choices)
    spoke_to = models.CharField("who was contacted", max_length=200)
    what_was_said = models.TextField(max_length=TEXT_LIMIT)
    next_due_on = models.DateField()
    chased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["referral", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"Chase of referral {self.referral_id}"


class ReferralFlag(models.Model):
    """A referral with no response after the date one was awaited by: one per referral and due
    date, raised by the daily rule, resolved by a response or a chase (a chase moves the date,
    so a referral still unanswered after it is flagged again).

    Like ActionFlag, it lives with the concern and goes to the DSL team alone; and, unlike it,
    stands after the concern is closed: closing a concern does not answer a referral.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="flags")
    due_on = models.DateField()
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "due_on"], name="sg_referralflag_once")
        ]
        indexes = [models.Index(fields=["resolved_at"], name="sg_referralflag_open")]

    def __str__(self) -> str:
        return f"Referral {self.referral_id} awaiting a response"


class NotificationKind(models.TextChoices):
    IMMEDIATE_CONCERN = "immediate", "Immediate concern raised"
    REMINDER = "reminder", "Concern still not acknowledged"
    ESCALATION = "escalation", "Unacknowledged concern escalated to the headteacher"


NOTIFICATION_SUBJECTS = {
    NotificationKind.IMMEDIATE_CONCERN: "An immediate safeguarding concern needs you",
    NotificationKind.REMINDER: "Reminder: a safeguarding concern is waiting to be acknowledged",
    NotificationKind.ESCALATION: "Escalation: a safeguarding concern has not been acknowledged",
}


class Notification(OutboxMessage):
    """An email to one person, written in the same transaction as the concern it is about and
    sent by the outbox afterwards: a broker or mail outage delays it, never loses it. It
    carries no child's name and no text from the concern: only a link to sign in and see it."""

    # A concern's alert is never given up: it is tried hourly until the mail server takes it.
    give_up_after = None

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "concern", "kind"], name="sg_notification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient}"

    def email_recipients(self) -> list[str]:
        return [self.recipient.email]

    def email_subject(self) -> str:
        return NOTIFICATION_SUBJECTS[self.kind]

    def email_body(self) -> str:
        link = site_url(reverse("safeguarding:concern_detail", args=[self.concern_id]))
        return (
            "Please sign in and open this concern straight away:\n\n"
            f"{link}\n\nThis message does not contain any details of the concern."
        )


class OverdueNotice(OutboxMessage):
    """An email telling one person that something on a concern is past its date. Like the
    concern alerts it carries no detail, only a link to the concern, and is never given up."""

    give_up_after = None
    # What is late, in the subject and the first words of the body.
    late = ""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(
        null=True, blank=True, help_text="When the recipient marked it read on their tasks page."
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Overdue notice for {self.recipient}"

    def email_recipients(self) -> list[str]:
        return [self.recipient.email]

    def email_subject(self) -> str:
        return f"{self.late} is past its due date"

    def email_body(self) -> str:
        link = site_url(reverse("safeguarding:concern_detail", args=[self.concern_id]))
        return (
            f"{self.late} is past its due date. "
            f"Please sign in and open the concern:\n\n{link}\n\n"
            "This message does not contain any details of the concern."
        )


class ActionOverdueNotice(OverdueNotice):
    late = "A safeguarding action"

    flag = models.ForeignKey(ActionFlag, on_delete=models.CASCADE, related_name="notices")

    class Meta(OverdueNotice.Meta):
        constraints = [
            models.UniqueConstraint(fields=["recipient", "flag"], name="sg_action_notice_once")
        ]


class ReferralOverdueNotice(OverdueNotice):
    """To each of the site's DSL team: a referral's response is awaited past its date."""

    late = "The response to a safeguarding referral"

    flag = models.ForeignKey(ReferralFlag, on_delete=models.CASCADE, related_name="notices")

    class Meta(OverdueNotice.Meta):
        constraints = [
            models.UniqueConstraint(fields=["recipient", "flag"], name="sg_referral_notice_once")
        ]


class HomeVisit(models.Model):
    """A visit to a family that is not responding, agreed by SLT and the DSL (section 3.2)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="home_visits")
    reason = models.TextField(max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    slt_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    slt_agreed_at = models.DateTimeField(null=True, blank=True)
    dsl_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dsl_agreed_at = models.DateTimeField(null=True, blank=True)
    planned_for = models.DateField(null=True, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    visited_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True, max_length=TEXT_LIMIT)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Home visit for case {self.case_id}"


class SocialWorkerInformed(models.Model):
    """The pupil's social worker was told of a longer absence (section 3.2)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="social_worker_told")
    informed_on = models.DateField()
    how = models.CharField(max_length=10, choices=InformedHow.choices)
    notes = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "informed_on"]

    def __str__(self) -> str:
        return f"Social worker informed {self.informed_on:%d/%m/%Y}"


class InvolvementKind(models.TextChoices):
    FAMILY_SUPPORT = "family_support", "Family support worker"
    SOCIAL_CARE = "social_care", "Social care"
    HEALTH = "health", "Health"
    PROTOCOL_SHARED = "protocol", "Family told of the safeguarding partnership's protocol"


class Involvement(models.Model):
    """Who else is involved during a longer absence, and what the family was told."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="involvements")
    kind = models.CharField(max_length=14, choices=InvolvementKind.choices)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The family support worker, when one is involved.",
    )
    notes = models.TextField(blank=True, max_length=2000)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="family_support") | Q(worker__isnull=False),
                name="sg_involvement_family_support_names_worker",
                violation_error_message="Name the family support worker.",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class SafeguardingSettings(models.Model):
    school = models.OneToOneField(
        School, on_delete=models.CASCADE, related_name="safeguarding_settings"
    )
    # Chasing unacknowledged concerns: the site's DSL team is reminded when the limit for the
    # concern's urgency passes, and the headteacher is told when twice the limit has passed.
    acknowledge_within_minutes = models.PositiveSmallIntegerField(
        default=15,
        help_text="Minutes on the clock, at any hour, before an unacknowledged immediate "
        "concern is sent again to the DSL team; at twice this it goes to the headteacher.",
    )
    acknowledge_high_within_school_minutes = models.PositiveSmallIntegerField(
        default=120,
        help_text="Minutes of school time (school days, within the school day) before an "
        "unacknowledged high concern is sent again to the DSL team; at twice this it goes to "
        "the headteacher. The default is two school hours.",
    )
    acknowledge_routine_within_school_minutes = models.PositiveSmallIntegerField(
        default=390,
        help_text="Minutes of school time before an unacknowledged routine concern is sent "
        "again to the DSL team; at twice this it goes to the headteacher. The default, 390, is "
        "one school day from 08:45 to 15:15.",
    )
    school_day_starts = models.TimeField(
        default=datetime.time(8, 45),
        help_text="When the school day starts: school time for chasing concerns counts from here.",
    )
    school_day_ends = models.TimeField(
        default=datetime.time(15, 15),
        help_text="When the school day ends: school time for chasing concerns stops here.",
    )
    long_absence_school_days = models.PositiveSmallIntegerField(
        default=10,
        help_text="School days on remote education after which a pupil's social worker must "
        "have been informed.",
    )
    max_session_minutes = models.PositiveSmallIntegerField(
        default=60, help_text="The longest a virtual session may be planned for, in minutes."
    )
    # Responses expected to referrals, in working days (Monday to Friday other than bank
    # holidays in England: agencies work through the school holidays). Each referral keeps
    # the number it was made with, so a change here applies to referrals made after it.
    referral_social_care_working_days = models.PositiveSmallIntegerField(
        default=1,
        help_text="Working days for children's social care to decide what response a referral "
        "needs: one, as in Working Together to Safeguard Children 2023.",
    )
    referral_early_help_working_days = models.PositiveSmallIntegerField(
        default=10,
        help_text="Working days for early help to say whether it will work with the family; "
        "ten (two weeks) is a common local allocation standard.",
    )
    referral_police_working_days = models.PositiveSmallIntegerField(
        default=2,
        help_text="Working days for the police to respond to a referral that is not an "
        "emergency (an emergency is a 999 call, not a referral).",
    )
    referral_camhs_working_days = models.PositiveSmallIntegerField(
        default=20,
        help_text="Working days for CAMHS to triage a referral: twenty, about the four weeks "
        "NHS England's waiting standard aims for.",
    )
    referral_lado_working_days = models.PositiveSmallIntegerField(
        default=1,
        help_text="Working days for the LADO to consider an allegation about an adult and say "
        "what happens next: one, as Keeping Children Safe in Education expects.",
    )
    referral_other_working_days = models.PositiveSmallIntegerField(
        default=10,
        help_text="Working days for any other agency (health, the local authority, others) "
        "to respond to a referral.",
    )
    referral_chase_interval_working_days = models.PositiveSmallIntegerField(
        default=2,
        help_text="Working days after chasing an agency before the referral is due a chase again.",
    )

    class Meta:
        verbose_name_plural = "safeguarding settings"

    def __str__(self) -> str:
        return f"Safeguarding settings for {self.school}"


# --- Virtual sessions (Appendix 1) ----------------------------------------------------------


class SessionKind(models.TextChoices):
    LIVE = "live", "Live Teams session"
    PRE_RECORDED = "recorded", "Pre-recorded lesson (fewer than two staff available)"


class VirtualSession(models.Model):
    """A Teams session for identified families, or the pre-recorded lesson offered instead."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="virtual_sessions")
    kind = models.CharField(max_length=8, choices=SessionKind.choices, default=SessionKind.LIVE)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField()
    pupils = models.ManyToManyField(Pupil, related_name="virtual_sessions")
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    meeting_link = models.URLField(
        blank=True, max_length=500, help_text="Shown only to the staff present."
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    planned_at = models.DateTimeField(auto_now_add=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="sg_session_positive_length"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:session_detail", args=[self.pk])

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes)


class SessionFamilyAgreement(models.Model):
    """What a family agreed before their child's first session (Appendix 1, Parents)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="session_agreements")
    agreed_with = models.CharField("agreed with (parent or carer)", max_length=150)
    agreed_on = models.DateField()
    no_recordings = models.BooleanField("no recordings will be made", default=False)
    confidentiality = models.BooleanField(
        "content, password and invitation codes kept confidential", default=False
    )
    parent_present = models.BooleanField("a parent or carer will be present", default=False)
    independent_access_agreed = models.BooleanField(
        "the pupil may join independently (discussed and agreed)", default=False
    )
    independent_access_agreed_by = models.CharField(
        "who agreed independent access", max_length=200, blank=True
    )
    dress_and_language = models.BooleanField("appropriate dress and language", default=False)
    expectations_known = models.BooleanField("pupil expectations known", default=False)
    # Agreements recorded before this term was asked for say False: they need recording again.
    household_not_seen_or_heard = models.BooleanField(
        "other members of the household will not be seen or heard", default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Set when the parent or carer agreed the ground rules themselves on the family portal
    # (recorded_by is then their own account): such an agreement holds for one term only.
    given_by_carer = models.ForeignKey(
        Carer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    term = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The term a carer's own agreement holds for.",
    )

    class Meta:
        ordering = ["pupil", "-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_by_carer__isnull=True) | Q(term__isnull=False),
                name="sg_session_agreement_carer_for_a_term",
                violation_error_message="A carer's own agreement holds for a term.",
            ),
            models.UniqueConstraint(
                fields=["pupil", "given_by_carer", "term"],
                condition=Q(given_by_carer__isnull=False),
                name="sg_session_agreement_carer_once_a_term",
                violation_error_message="You have already agreed the ground rules this term.",
            ),
        ]

    def __str__(self) -> str:
        return f"Session agreement for pupil {self.pupil_id}"

    @property
    def is_given_by_carer(self) -> bool:
        return self.given_by_carer_id is not None


class ChecklistItem(models.TextChoices):
    WAITING_ROOM = "waiting_room", "Waiting room opened"
    LOCKED = "locked", "Meeting locked once all expected participants signed in"
    SCHOOL_EMAIL_ONLY = "school_email", "Pupils invited by school email only"
    STAFF_SETTING = (
        "staff_setting",
        ("Staff dressed suitably; household not visible or audible; background appropriate"),
    )
    LANGUAGE = "language", "Staff used appropriate, professional language"
    PUPILS_SETTING = "pupils_setting", "Pupils dressed appropriately, suitable background"
    ATTENDANCE = "attendance", "Who attended recorded"


class SessionChecklistEntry(models.Model):
    """One item of the on-the-day checklist: done, or not done with the reason."""

    session = models.ForeignKey(VirtualSession, on_delete=models.PROTECT, related_name="checklist")
    item = models.CharField(max_length=14, choices=ChecklistItem.choices)
    done = models.BooleanField()
    reason = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "id"]
        verbose_name_plural = "session checklist entries"
        constraints = [
            models.UniqueConstraint(fields=["session", "item"], name="sg_checklist_once"),
            models.CheckConstraint(
                condition=Q(done=True) | ~Q(reason=""),
                name="sg_checklist_reason_when_not_done",
                violation_error_message="Give the reason it was not done.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_item_display()


class SessionAttendance(models.Model):
    """An invited pupil: the school address the invitation went to, and whether they came."""

    session = models.ForeignKey(VirtualSession, on_delete=models.PROTECT, related_name="attendance")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="+")
    invited_at_email = models.EmailField(blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["session", "pupil__last_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "pupil"], name="sg_attendance_once")
        ]

    def __str__(self) -> str:
        return f"Pupil {self.pupil_id} at session {self.session_id}"


# --- Printed chronologies (issue 16) ----------------------------------------------------------
# A printed safeguarding chronology: one pupil, a period, the categories and kinds of entry
# chosen, in full or "for sharing". Like the SLT report it is asked for on a page, drawn by a
# Celery worker and kept in the database (never as a file under MEDIA), so the only way to the
# PDF is the gated, audited download view. A "for sharing" print keeps the list of names it
# replaced; it is released only once a member of the DSL team has confirmed that list, and who
# confirmed it, and when, is kept.


class PrintStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ChronologyPrint(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="chronology_prints")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField("first day of the period")
    end = models.DateField("last day of the period")
    # Empty: every category, every kind of entry.
    category_ids = models.JSONField(default=list, blank=True)
    kinds = models.JSONField(default=list, blank=True)
    for_sharing = models.BooleanField(
        default=False, help_text="Names of other children and third parties replaced by roles."
    )
    extra_words = models.JSONField(default=list, blank=True)
    # What the sharing version replaced: [{"name", "role", "count"}], for the DSL to check.
    redactions = models.JSONField(default=list, blank=True, editable=False)
    # Raised each time the PDF is made again (extra words): a confirmation names the revision
    # it saw, so a list that changed meanwhile is not released unseen.
    revision = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=8, choices=PrintStatus.choices, default=PrintStatus.QUEUED)
    error_message = models.CharField(max_length=300, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Set when the PDF is made, if it holds a concern of a category for the DSL team only:
    # then only the DSL team may see the print, whoever asked for it.
    includes_dsl_team_only = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="chronology_print_ends_after_start",
                violation_error_message="The last day cannot be before the first.",
            ),
        ]

    def __str__(self) -> str:
        return f"Chronology print {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:chronology_print_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {PrintStatus.READY, PrintStatus.FAILED}

    @property
    def is_released(self) -> bool:
        """Ready, and for a sharing version confirmed by the DSL team."""
        return self.status == PrintStatus.READY and (
            not self.for_sharing or self.confirmed_at is not None
        )

    @property
    def version_label(self) -> str:
        return "For sharing (names replaced by roles)" if self.for_sharing else "Full"


# --- Child-protection file transfer (KCSIE) ---------------------------------------------------


class PupilLeaving(models.Model):
    """A pupil leaving the school, and the school they go to: who is to receive their
    child-protection file. Recording it takes the pupil off roll; their records are kept."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="leavings")
    left_on = models.DateField("last day at this school")
    new_school_name = models.CharField("new school", max_length=200)
    new_school_urn = models.CharField(
        "new school's URN",
        max_length=7,
        validators=[urn_validator],
        help_text="Its unique reference number, 6 or 7 digits (Get Information about Schools).",
    )
    new_dsl_name = models.CharField("new school's DSL", max_length=150)
    new_dsl_email = models.EmailField(
        "new school's DSL email",
        help_text="The link to the file is sent here; the code goes separately, by phone.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Leaving of pupil {self.pupil_id} on {self.left_on}"


class TransferFlag(models.Model):
    """The DSL team's task to send a leaver's file: one per leaving, due on the 5th school day
    after the last day (empty until the calendar reaches it), resolved when the receiving DSL
    confirms receipt or the pupil is back on roll."""

    leaving = models.OneToOneField(PupilLeaving, on_delete=models.CASCADE, related_name="flag")
    due_on = models.DateField(null=True, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        indexes = [models.Index(fields=["resolved_at"], name="sg_transferflag_open")]

    def __str__(self) -> str:
        return f"Transfer of leaving {self.leaving_id}"


class TransferOverdueNotice(OutboxMessage):
    """Each school day while leavers' files at a site are past their date and not yet
    received, one email to each of the site's DSL team: one per person, site and day however
    many files (unique), raised by the daily rule. It names no child and no school, only how
    many files and a link to the dashboard; a receipt stops it."""

    give_up_after = None

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    files = models.PositiveIntegerField(default=1, help_text="How many were overdue that day.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "site", "day"], name="sg_transfer_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"Transfer overdue notice for {self.recipient}"

    def email_recipients(self) -> list[str]:
        return [self.recipient.email]

    def email_subject(self) -> str:
        return "A leaver's child-protection file is past its transfer date"

    def email_body(self) -> str:
        link = site_url(f"{reverse('safeguarding:dashboard')}?site={self.site_id}")
        files = f"{self.files} child-protection file{'s' if self.files != 1 else ''}"
        return (
            f"{files} of pupils who left {self.site.name} "
            f"{'are' if self.files != 1 else 'is'} past the 5 school days allowed and not yet "
            "received by the new school. Please sign in and send or chase "
            f"{'them' if self.files != 1 else 'it'}:\n\n{link}\n\n"
            "This message does not contain any details of the pupils."
        )


class FileTransfer(models.Model):
    """One sealed bundle of a leaver's file, sent to the receiving DSL: a one-time link
    (its token kept only as a digest) and a code given separately. Kept as the record of what
    was sent, when, to whom and when it was received.

    The bundle is sealed by a Celery worker (``status``, as for a printed chronology): until
    it is ready there is no stored file, no digest, and the link's email is held."""

    leaving = models.ForeignKey(PupilLeaving, on_delete=models.PROTECT, related_name="transfers")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    sent_to_name = models.CharField(max_length=150)
    sent_to_email = models.EmailField()
    status = models.CharField(max_length=8, choices=PrintStatus.choices, default=PrintStatus.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)
    # Empty until the bundle is sealed (NULL, so that many unsealed ones stay unique).
    storage_name = models.CharField(
        max_length=100, unique=True, null=True, blank=True, editable=False
    )
    size = models.PositiveBigIntegerField(default=0, help_text="In bytes.")
    digest = models.CharField("SHA-256 of the bundle", max_length=64, blank=True)
    part_digests = models.JSONField(default=dict, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField()
    wrong_codes = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by_name = models.CharField(max_length=150, blank=True)
    received_by_role = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"File transfer {self.pk}"

    @property
    def is_sealed(self) -> bool:
        return self.status == PrintStatus.READY

    @property
    def is_preparing(self) -> bool:
        return self.status in {PrintStatus.QUEUED, PrintStatus.RUNNING}


class TransferLinkEmail(OutboxMessage):
    """The receiving DSL's email: the one-time link and nothing of the child beyond "a
    child-protection file from <school>". The link is forgotten once it is sent."""

    give_up_after = None

    transfer = models.OneToOneField(FileTransfer, on_delete=models.CASCADE, related_name="email")
    link = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Transfer link for transfer {self.transfer_id}"

    def email_recipients(self) -> list[str]:
        return [self.transfer.sent_to_email]

    def email_subject(self) -> str:
        return f"A child-protection file from {self.transfer.leaving.pupil.school.name}"

    def email_body(self) -> str:
        return (
            f"A child-protection file from {self.transfer.leaving.pupil.school.name} is ready "
            "for you. Open it here; you will need the code the sending DSL gives you by phone:"
            f"\n\n{self.link}\n\nThe link works once and expires on "
            f"{timezone.localtime(self.transfer.expires_at):%d/%m/%Y}."
        )

    def forget_after_sending(self) -> dict[str, object]:
        return {"link": ""}


class TransferredFile(models.Model):
    """A child-protection file received from another school and imported into a pupil's file
    here, after its digests were checked: kept as it came, read-only, never merged into this
    school's own records."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="transferred_files")
    from_school_name = models.CharField(max_length=200)
    from_school_urn = models.CharField(max_length=7, blank=True)
    digest = models.CharField("SHA-256 of the bundle", max_length=64)
    part_digests = models.JSONField(default=dict)
    records = models.JSONField(default=dict)
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"File transferred from {self.from_school_name}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:transferred_file", args=[self.pk])
