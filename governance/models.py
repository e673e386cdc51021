"""Leadership and governance records: SLT monitoring (policy section 3.3), the policy's own reviews
(section 6) and the staff wellbeing pulse governors read (section 3.7).

Monitoring records are appended to: findings are fixed once saved, and corrections are added
as notes with who and when. A policy version moves draft → reviewed → approved, each step with
who and when. Pulse answers are anonymous: an answer holds the school, the week and the answer
only, and a separate receipt records that a person answered that week.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from accounts.models import User
from core.links import site_url
from core.outbox import OutboxMessage
from schools.models import Role, School, SchoolClass, Site

TEXT_LIMIT = 10_000


# --- SLT monitoring (section 3.3) -------------------------------------------------------------


class MonitoringKind(models.TextChoices):
    """The ways of monitoring remote learning that section 3.3 names, in its order."""

    MEETING = "meeting", "Meeting with teachers and class staff"
    WORK_REVIEW = "work_review", "Review of work set"
    PUPIL_FEEDBACK = "pupil_feedback", "Feedback gathered from pupils"
    PARENT_FEEDBACK = "parent_feedback", "Feedback gathered from parents/carers"
    OTHER = "other", "Other"


class MonitoringActivity(models.Model):
    """One piece of SLT monitoring of remote learning, for the school, a site or a class."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="monitoring_activities"
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leave empty when the activity covered the whole school or one class.",
    )
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="class",
        help_text="Leave empty when the activity covered the whole school or a site.",
    )
    kind = models.CharField(max_length=20, choices=MonitoringKind.choices)
    held_on = models.DateField("date held", help_text="The day it took place (not in the future).")
    participants = models.CharField(
        "who took part",
        max_length=300,
        help_text="Roles or staff names, for example: SLT lead, two class teachers. "
        "No pupils' names.",
    )
    focus = models.CharField(
        max_length=200, help_text="In a few words: what this activity looked at."
    )
    findings = models.TextField(
        max_length=TEXT_LIMIT,
        help_text="What was found. Fixed once saved: add a correction note later if needed.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "monitoring activities"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(site__isnull=True) | Q(school_class__isnull=True),
                name="gov_monitoring_site_or_class_not_both",
                violation_error_message="Choose the school, a site or a class, not both.",
            )
        ]
        indexes = [models.Index(fields=["school", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:monitoring_detail", args=[self.pk])

    @property
    def scope_display(self) -> str:
        if self.school_class_id:
            return f"Class {self.school_class}"
        if self.site_id:
            return f"Site {self.site}"
        return "Whole school"


class MonitoringCorrection(models.Model):
    """A note added to an activity's findings after saving: the findings are never changed."""

    activity = models.ForeignKey(
        MonitoringActivity, on_delete=models.PROTECT, related_name="corrections"
    )
    text = models.TextField(max_length=TEXT_LIMIT)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "added_at", "id"]

    def __str__(self) -> str:
        return f"Correction to monitoring activity {self.activity_id}"


class FollowUp(models.Model):
    """An action agreed at a monitoring activity, owned by a member of the school's staff."""

    activity = models.ForeignKey(
        MonitoringActivity, on_delete=models.PROTECT, related_name="follow_ups"
    )
    action = models.CharField(max_length=500, help_text="What will be done.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member of staff who will do it.",
    )
    due_on = models.DateField("due by", null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_by__isnull=False),
                name="gov_followup_done_has_who",
                violation_error_message="Record who marked the follow-up done.",
            )
        ]

    def __str__(self) -> str:
        return self.action

    @property
    def owner_display(self) -> str:
        return self.owner.get_full_name() or self.owner.email

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


# --- Policy review (section 6) ----------------------------------------------------------------


class PolicyDocument(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="policy_documents")
    title = models.CharField(max_length=200, help_text="For example: Remote learning policy.")

    class Meta:
        ordering = ["school", "title"]
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="gov_policy_unique_title")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:policy_detail", args=[self.pk])


class ReviewReason(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled review"
    GUIDANCE = "guidance", "Government guidance changed"
    OTHER = "other", "Other (say why)"


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEWED = "reviewed", "Reviewed by the headteacher"
    APPROVED = "approved", "Approved by the chair of governors"


class PolicyVersion(models.Model):
    """One version of a policy. Section 6.1: reviewed by the headteacher (or executive
    headteacher), then approved by the chair of local governors, at every review."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(
        "version", max_length=30, help_text="For example: 2026.1 or September 2026."
    )
    summary = models.TextField(
        "summary of changes", max_length=TEXT_LIMIT, help_text="What changed since the last one."
    )
    reason = models.CharField("why it was reviewed", max_length=10, choices=ReviewReason.choices)
    reason_note = models.CharField(
        "reason, if other", max_length=300, blank=True, help_text="Needed when the reason is Other."
    )
    text = models.TextField(
        "policy text",
        blank=True,
        help_text="The policy itself, or leave empty and give a reference.",
    )
    reference = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the document is kept (for example a file name or web address).",
    )
    status = models.CharField(
        max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    next_review_on = models.DateField(
        "next review by",
        null=True,
        blank=True,
        help_text="Set on approval: by default a year later.",
    )

    class Meta:
        ordering = ["document", "-drafted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "label"], name="gov_policyversion_unique_label"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | Q(reviewed_by__isnull=True)
                | ~Q(approved_by=F("reviewed_by")),
                name="gov_policyversion_reviewer_not_approver",
                violation_error_message="The same person cannot both review and approve.",
            ),
            models.CheckConstraint(
                condition=Q(status=PolicyStatus.DRAFT)
                | Q(status=PolicyStatus.REVIEWED, reviewed_by__isnull=False)
                | Q(
                    status=PolicyStatus.APPROVED,
                    reviewed_by__isnull=False,
                    approved_by__isnull=False,
                    next_review_on__isnull=False,
                ),
                name="gov_policyversion_status_has_who",
                violation_error_message="Each step records who took it.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.label}"

    def get_absolute_url(self) -> str:
        return self.document.get_absolute_url()


class NoticeKind(models.TextChoices):
    DUE_SOON = "due_soon", "Review due within 30 days"
    OVERDUE = "overdue", "Review date reached"


class PolicyReviewNotice(OutboxMessage):
    """That an approved version's review is due: written once per version and kind, then
    emailed by the outbox to the school's headteacher(s) and chair."""

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="review_notices"
    )
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="gov_review_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.version}"

    def email_recipients(self) -> list[str]:
        return sorted(
            User.objects.filter(
                is_active=True,
                memberships__school_id=self.version.document.school_id,
                memberships__role__in=[Role.HEADTEACHER, Role.CHAIR_OF_GOVERNORS],
            )
            .distinct()
            .values_list("email", flat=True)
        )

    def email_subject(self) -> str:
        title, when = self.version.document.title, f"{self.version.next_review_on:%d/%m/%Y}"
        if self.kind == NoticeKind.OVERDUE:
            return f"{title}: review overdue since {when}"
        return f"{title}: review due by {when}"

    def email_body(self) -> str:
        document = self.version.document
        link = site_url(reverse("governance:policy_detail", args=[document.pk]))
        return (
            f"The {document.title} (version {self.version.label}) is due for review by "
            f"{self.version.next_review_on:%d/%m/%Y}. Section 6 of the policy: the headteacher "
            "reviews it and the chair of local governors approves it. Sign in and open the "
            f"policy page:\n\n{link}"
        )


# --- Staff wellbeing pulse (section 3.7) ------------------------------------------------------


class Coping(models.IntegerChoices):
    """How a member of staff is coping this week, best first (the order governors read)."""

    WELL = 1, "Coping well"
    MOSTLY = 2, "Mostly coping"
    GETTING_BY = 3, "Getting by"
    HARD = 4, "Finding it hard"
    STRUGGLING = 5, "Struggling"


class Workload(models.TextChoices):
    MANAGEABLE = "manageable", "Manageable"
    HEAVY = "heavy", "Heavy"
    UNMANAGEABLE = "unmanageable", "Unmanageable"


class PulseResponse(models.Model):
    """One anonymous answer. Holds no person, no time finer than the week, and a random key, so
    it cannot be matched to the receipt that says who answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(help_text="The Monday of the week answered for.")
    coping = models.PositiveSmallIntegerField(choices=Coping.choices)
    workload = models.CharField(max_length=12, choices=Workload.choices, blank=True)

    class Meta:
        # Never ordered by key or insertion: nothing about the order answers arrived is kept.
        ordering = ["school", "week_start", "coping"]
        indexes = [models.Index(fields=["school", "week_start"])]

    def __str__(self) -> str:
        return f"Pulse for the week of {self.week_start:%d/%m/%Y}"


class PulseReceipt(models.Model):
    """That this person answered for this school and week: it stops a second answer, and holds
    nothing of what they said."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()

    class Meta:
        ordering = ["school", "week_start", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "week_start"], name="gov_pulse_receipt_once_a_week"
            )
        ]

    def __str__(self) -> str:
        return f"Answered for the week of {self.week_start:%d/%m/%Y}"


def week_start_of(day: datetime.date) -> datetime.date:
    """The Monday of the week holding ``day``."""
    return day - datetime.timedelta(days=day.weekday())
