"""The Data Protection Officer's registers (policy sections 3.5, 4 and 5): suspected breaches
and their 72-hour clock, and retention reviews.

A breach's account is fixed once flagged. Everything the DPO does with it (assessment,
reporting decision, report to the ICO, telling the people affected, closing) is its own row
with who and when; the few summary fields on the breach are copied from the latest of those
rows so lists can show the clock without reading them.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.links import site_url
from core.outbox import OutboxMessage
from schools.models import School

TEXT_LIMIT = 4000
ICO_DEADLINE = datetime.timedelta(hours=72)


class BreachDecision(models.TextChoices):
    REPORTABLE = "reportable", "Reportable to the ICO"
    NOT_REPORTABLE = "not_reportable", "Not reportable to the ICO"


class Breach(models.Model):
    """A suspected personal-data breach, flagged by anyone working at the school."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="breaches")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    what_happened = models.TextField(max_length=TEXT_LIMIT)
    discovered_at = models.DateTimeField(
        help_text="When the school first knew of it: the 72 hours to tell the ICO start here."
    )
    data_affected = models.TextField(
        "what data", max_length=TEXT_LIMIT, help_text="What kinds of personal data were involved."
    )
    people_affected = models.PositiveIntegerField(
        "roughly how many people",
        null=True,
        blank=True,
        help_text="An estimate is fine. Leave blank if nobody knows yet.",
    )
    containment = models.TextField(
        "containment so far",
        blank=True,
        max_length=TEXT_LIMIT,
        help_text="What has been done to stop it or limit the harm.",
    )
    # Copied from the latest step of each kind (see BreachStep), for lists and the clock.
    decision = models.CharField(max_length=14, choices=BreachDecision.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reported_to_ico_on = models.DateField(null=True, blank=True)
    ico_reference = models.CharField(max_length=100, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "breaches"
        ordering = ["-discovered_at", "-id"]
        indexes = [models.Index(fields=["school", "closed_at", "-discovered_at"])]

    def __str__(self) -> str:
        return f"Breach {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("dpo:breach_detail", args=[self.pk])

    @property
    def deadline(self) -> datetime.datetime:
        """72 real hours after discovery, in UTC: a clock change in between does not move it."""
        return self.discovered_at.astimezone(datetime.UTC) + ICO_DEADLINE

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class StepKind(models.TextChoices):
    ASSESSMENT = "assessment", "Risk assessment"
    DECISION = "decision", "Reporting decision"
    ICO_REPORT = "ico_report", "Reported to the ICO"
    SUBJECTS_TOLD = "subjects_told", "People affected"
    CLOSURE = "closure", "Closed"


class BreachStep(models.Model):
    """One thing the DPO did or decided about a breach. Only ever added."""

    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(max_length=14, choices=StepKind.choices)
    text = models.TextField(
        max_length=TEXT_LIMIT,
        help_text="The assessment, the reason for the decision, or the lessons learned.",
    )
    decision = models.CharField(max_length=14, choices=BreachDecision.choices, blank=True)
    reported_on = models.DateField(null=True, blank=True)
    ico_reference = models.CharField(max_length=100, blank=True)
    subjects_told = models.BooleanField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="decision") | ~Q(decision=""),
                name="dpo_breachstep_decision_has_decision",
                violation_error_message="Choose whether it is reportable.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="ico_report") | Q(reported_on__isnull=False),
                name="dpo_breachstep_report_has_date",
                violation_error_message="Give the date it was reported.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on breach {self.breach_id}"


class Milestone(models.TextChoices):
    HOURS_24 = "24h", "24 hours since discovery"
    HOURS_48 = "48h", "48 hours since discovery"
    HOURS_66 = "66h", "6 hours left to tell the ICO"


MILESTONE_HOURS = {Milestone.HOURS_24: 24, Milestone.HOURS_48: 48, Milestone.HOURS_66: 66}
# Once the 72 hours are up, a reminder every day: "72h", "96h", "120h", ...
OVERDUE_EVERY = datetime.timedelta(hours=24)


def overdue_milestone(hours: int) -> str:
    return f"{hours}h"


class BreachReminder(models.Model):
    """One milestone of the 72-hour clock reached while the breach is neither reported to the
    ICO nor decided not reportable: at most once. The named milestones, then one a day after
    the deadline (its hours since discovery, such as "96h")."""

    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="reminders")
    milestone = models.CharField(max_length=8, choices=Milestone.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["breach", "milestone"], name="dpo_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_milestone_display()} on breach {self.breach_id}"


class NotificationKind(models.TextChoices):
    FLAGGED = "flagged", "A breach was flagged"
    HOURS_24 = "24h", "Reminder at 24 hours"
    HOURS_48 = "48h", "Reminder at 48 hours"
    HOURS_66 = "66h", "Reminder: 6 hours left"


NOTIFICATION_SUBJECTS = {
    NotificationKind.FLAGGED: "A possible data breach has been flagged",
    NotificationKind.HOURS_24: (
        "Reminder: a data breach is not yet reported to the ICO or decided (24 hours)"
    ),
    NotificationKind.HOURS_48: (
        "Reminder: a data breach is not yet reported to the ICO or decided (48 hours)"
    ),
    NotificationKind.HOURS_66: "Urgent: 6 hours left to report a data breach to the ICO",
}
# The daily reminders once the deadline has passed (kinds "72h", "96h", ...).
OVERDUE_SUBJECT = "Overdue: report the data breach to the ICO, or record why it is not reportable"


class BreachNotification(OutboxMessage):
    """An email to one person, written in the same transaction as what it is about and sent
    by the outbox afterwards: a broker or mail outage delays it, never loses it. It carries
    no detail of the breach: only a link to sign in and see it."""

    # The 72-hour clock is running: a breach email is never given up, only retried hourly.
    give_up_after = None

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=8, choices=NotificationKind.choices)
    read_at = models.DateTimeField(
        null=True, blank=True, help_text="When the recipient marked it read on their tasks page."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "breach", "kind"], name="dpo_notification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient}"

    def email_recipients(self) -> list[str]:
        return [self.recipient.email]

    def email_subject(self) -> str:
        return NOTIFICATION_SUBJECTS.get(self.kind, OVERDUE_SUBJECT)

    def email_body(self) -> str:
        link = site_url(reverse("dpo:breach_detail", args=[self.breach_id]))
        return (
            "Please sign in and open this breach report:\n\n"
            f"{link}\n\nThis message does not contain any details of the breach."
        )


# --- Retention (section 5) -------------------------------------------------------------------


class RetentionKind(models.TextChoices):
    CHILD_PROTECTION = "child_protection", "Child-protection file"
    CASE = "case", "Closed remote-education case"


SAFEGUARDING_KINDS = frozenset({RetentionKind.CHILD_PROTECTION})
DEFAULT_RETENTION_YEARS = {RetentionKind.CHILD_PROTECTION: 25, RetentionKind.CASE: 6}


class RetentionRule(models.Model):
    """A school's retention period for one kind of record, overriding the default."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="retention_rules")
    kind = models.CharField(max_length=16, choices=RetentionKind.choices)
    years = models.PositiveSmallIntegerField(
        help_text="Child-protection files: years after the pupil's date of birth (25 by "
        "default). Closed cases: years after the case closed (6 by default)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "kind"], name="dpo_retention_rule_once"),
            models.CheckConstraint(
                condition=Q(years__gte=1) & Q(years__lte=100),
                name="dpo_retention_rule_years_range",
                violation_error_message="Between 1 and 100 years.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.years} years"


class ItemStatus(models.TextChoices):
    DUE = "due", "Due for review"
    APPROVED = "approved", "Approved for anonymisation"
    KEEP = "keep", "Keep"
    ANONYMISED = "anonymised", "Anonymised"


class RetentionReviewItem(models.Model):
    """A record whose retention period has run out, waiting for the DPO's review."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=RetentionKind.choices)
    record_id = models.BigIntegerField(
        help_text="The pupil (child-protection file) or the case, by id."
    )
    pupil_id = models.BigIntegerField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.DUE)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    keep_reason = models.TextField(blank=True, max_length=2000)
    review_again_on = models.DateField(null=True, blank=True)
    anonymised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_id", "due_on"], name="dpo_retention_item_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="anonymised") | ~Q(kind="child_protection"),
                name="dpo_retention_never_anonymise_child_protection",
            ),
            models.CheckConstraint(
                condition=~Q(status="keep")
                | (~Q(keep_reason="") & Q(review_again_on__isnull=False)),
                name="dpo_retention_keep_has_reason_and_date",
                violation_error_message="Give the reason and when to review it again.",
            ),
        ]
        indexes = [models.Index(fields=["school", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.record_id} due {self.due_on:%d/%m/%Y}"

    @property
    def is_safeguarding(self) -> bool:
        return self.kind in SAFEGUARDING_KINDS


# --- Subject access requests (section 5) -------------------------------------------------------


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    SENT = "sent", "Sent"
    WITHDRAWN = "withdrawn", "Closed: withdrawn"


REQUESTED_BY_LIMIT = 150
NOTE_LIMIT = 2000


class SubjectAccessRequest(models.Model):
    """One request for a pupil's records, with the one-month deadline fixed when it was logged
    so a later change to the bank-holiday list cannot move a promise already made."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(
        "schools.Pupil", on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    requested_by = models.CharField(
        max_length=REQUESTED_BY_LIMIT,
        help_text="Who made the request, for example 'Parent: Ms A' or the pupil.",
    )
    received_on = models.DateField(help_text="The day the school received the request.")
    due_on = models.DateField(
        help_text="One calendar month from receipt, moved past weekends and bank holidays."
    )
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=NOTE_LIMIT)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("received_on")),
                name="dpo_sar_due_on_or_after_received",
                violation_error_message="The response cannot be due before the request came.",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent")
                | (Q(answered_at__isnull=False) & Q(answered_by__isnull=False)),
                name="dpo_sar_sent_has_who_and_when",
            ),
        ]
        indexes = [models.Index(fields=["school", "status", "due_on"])]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("subject_access:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    def deadline_text(self, today: datetime.date) -> str:
        """'due 28/12/2026 — 30 days left', or 'overdue by 3 days', for an open request."""
        days = (self.due_on - today).days
        if days < 0:
            return f"overdue by {-days} day{'s' if days != -1 else ''}"
        if days == 0:
            return f"due {self.due_on:%d/%m/%Y} — due today"
        return f"due {self.due_on:%d/%m/%Y} — {days} day{'s' if days != 1 else ''} left"
