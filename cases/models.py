"""Remote-education cases (policy section 2): agreed by everyone, time-limited, reviewed, and
always aimed at bringing the pupil back into school."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.documents import StoredDocument
from core.links import web_links, web_links_validator
from schools.models import Carer, Pupil, School, SchoolClass, Site, Term


class Basis(models.TextChoices):
    CLOSURE = "closure", "School, site or class closure"
    INDIVIDUAL = "individual", "Individual pupil who cannot attend"


class Reason(models.TextChoices):
    """The circumstances the policy lists. Misbehaviour is deliberately absent: sending a pupil
    home for behaviour is a suspension, even if they learn online while suspended."""

    GOVERNMENT_GUIDANCE = "guidance", "Opening is contrary to local or central government guidance"
    NOT_SAFE_TO_OPEN = "unsafe", "Opening is not possible to do safely"
    INFECTIOUS_ILLNESS = "infectious", "Infectious illness"
    OPERATION = "operation", "Preparing for or recovering from an operation"
    INJURY = "injury", "Recovering from injury, where attendance may inhibit recovery"
    SEND_OR_MENTAL_HEALTH = "send_mh", "Attendance affected by SEND or a mental health issue"


CLOSURE_REASONS = frozenset({Reason.GOVERNMENT_GUIDANCE, Reason.NOT_SAFE_TO_OPEN})
INDIVIDUAL_REASONS = frozenset(set(Reason) - CLOSURE_REASONS)
MEDICAL_REASONS = frozenset({Reason.INFECTIOUS_ILLNESS, Reason.OPERATION, Reason.INJURY})
# Reasons where staff decide, and record, whether a health professional (CAMHS, say) agrees.
HEALTH_QUESTION_REASONS = frozenset({Reason.SEND_OR_MENTAL_HEALTH})


class Status(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    REINTEGRATING = "reintegrating", "Reintegrating"
    CLOSED = "closed", "Closed"
    # A proposal that never started: the pupil is free for a new one.
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (Status.PROPOSED, Status.ACTIVE, Status.REINTEGRATING)
ENDED_STATUSES = (Status.CLOSED, Status.WITHDRAWN)
# Cases that were agreed and ran: the pupil learned at home from the start date.
STARTED_STATUSES = (Status.ACTIVE, Status.REINTEGRATING, Status.CLOSED)


class AttendanceCode(models.TextChoices):
    """Codes from the 2024 national set that fit a pupil learning remotely (marked absent)."""

    I = "I", "I: Illness (not medical or dental appointment)"  # noqa: E741
    Y3 = "Y3", "Y3: Unable to attend: part of the school premises closed"
    Y4 = "Y4", "Y4: Unable to attend: whole school site unexpectedly closed"
    Y6 = "Y6", "Y6: Unable to attend: public health guidance or law"
    Y7 = "Y7", "Y7: Unable to attend: any other unavoidable cause"
    C = "C", "C: Leave of absence for exceptional circumstances"


# Closures whose register code the 2024 regulations set by what closed, not the school:
# (the code for a class, part of the premises; the code for a whole site). No setting for them.
CLOSURE_CODES_SET_BY_REGULATION: dict[str, tuple[str, str]] = {
    Reason.NOT_SAFE_TO_OPEN: (AttendanceCode.Y3, AttendanceCode.Y4),
}

# The code a school uses for each reason until it chooses another.
DEFAULT_ATTENDANCE_CODES: dict[str, str] = {
    Reason.GOVERNMENT_GUIDANCE: AttendanceCode.Y6,
    Reason.INFECTIOUS_ILLNESS: AttendanceCode.I,
    Reason.OPERATION: AttendanceCode.I,
    Reason.INJURY: AttendanceCode.I,
    Reason.SEND_OR_MENTAL_HEALTH: AttendanceCode.Y7,
}


class CaseSettings(models.Model):
    """A school's choices for remote-education cases."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="case_settings")
    max_time_limit_school_days = models.PositiveSmallIntegerField(
        default=30, help_text="The longest time limit a case may be given, in school days."
    )
    review_interval_school_days = models.PositiveSmallIntegerField(
        default=10, help_text="How often a case is reviewed, in school days."
    )
    agreement_grace_school_days = models.PositiveSmallIntegerField(
        default=3,
        help_text="School days a proposal may wait for its agreements before it is flagged.",
    )
    time_limit_warning_school_days = models.PositiveSmallIntegerField(
        default=3, help_text="Show 'time limit near' this many school days before it."
    )

    class Meta:
        verbose_name_plural = "case settings"

    def __str__(self) -> str:
        return f"Case settings for {self.school}"


class AttendanceCodeChoice(models.Model):
    """The code a school uses for remote education given for each reason."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="attendance_codes")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    code = models.CharField(max_length=3, choices=AttendanceCode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reason"], name="cases_attendance_code_unique_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.code}"


class Closure(models.Model):
    """A whole-site or whole-class closure: one step that opens a case for every pupil."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="closures")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True)
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, null=True, blank=True, verbose_name="class"
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    # Pupils already on their own case when the closure began: their case goes on, and notes
    # the closure, rather than a second case being opened.
    joined_cases = models.ManyToManyField(
        "Case", blank=True, related_name="joined_closures", verbose_name="cases that joined"
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(site__isnull=False) ^ Q(school_class__isnull=False),
                name="cases_closure_site_xor_class",
                violation_error_message="A closure covers either a site or a class.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="cases_closure_ends_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self) -> str:
        return f"Closure of {self.school_class or self.site} from {self.start_date:%d/%m/%Y}"


class Case(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="cases")
    basis = models.CharField(max_length=10, choices=Basis.choices)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PROPOSED)
    closure = models.ForeignKey(
        Closure, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    summary = models.TextField(
        blank=True, max_length=2000, help_text="Why remote education, in a sentence or two."
    )
    start_date = models.DateField()
    end_date = models.DateField(
        "time limit", help_text="The date by which the pupil should be back in school."
    )
    next_review_date = models.DateField(null=True, blank=True)
    attendance_code = models.CharField(max_length=3, choices=AttendanceCode.choices)
    medical_agreement_not_needed = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why a medical professional's agreement is not appropriate, if it is not.",
    )
    health_professional_should_agree = models.BooleanField(
        null=True,
        blank=True,
        help_text="For SEND or mental health: whether a health professional (for example "
        "CAMHS) should agree. Empty for other reasons.",
    )
    outcome = models.TextField(blank=True, max_length=2000)
    actual_return_date = models.DateField(null=True, blank=True)
    proposed_on = models.DateField(help_text="The school date the case was proposed.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "remote-education case"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(status__in=OPEN_STATUSES),
                name="cases_case_one_open_case_per_pupil",
                violation_error_message="This pupil already has an open remote-education case.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="cases_case_time_limit_after_start",
                violation_error_message="The time limit cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed")
                | (~Q(outcome="") & Q(actual_return_date__isnull=False)),
                name="cases_case_closed_has_outcome",
                violation_error_message="A closed case needs an outcome and a return date.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_review_date"]),
            models.Index(fields=["status", "end_date"]),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Party(models.TextChoices):
    SCHOOL = "school", "The school"
    CARERS = "carers", "Parents or carers"
    PUPIL = "pupil", "The pupil"
    MEDICAL = "medical", "A relevant medical professional"
    LOCAL_AUTHORITY = "la", "The local authority"


class AgreementMethod(models.TextChoices):
    MEETING = "meeting", "In a meeting"
    PHONE = "phone", "By telephone"
    EMAIL = "email", "By email"
    LETTER = "letter", "By letter"
    IN_PERSON = "in_person", "In person"
    # Only ever set by the carer agreeing on the family portal, never chosen by staff.
    FAMILY_PORTAL = "portal", "Through the family portal"


class Agreement(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agreements")
    party = models.CharField(max_length=10, choices=Party.choices)
    agreed_by = models.CharField(
        max_length=200, help_text="Who agreed, with their role (for example 'Dr Hale, GP')."
    )
    agreed_on = models.DateField()
    method = models.CharField(max_length=10, choices=AgreementMethod.choices)
    notes = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Set when a parent or carer agreed themselves on the family portal: the record is theirs
    # (recorded_by is their own account), not staff work. Such an agreement is to one version
    # of the arrangement (what they were shown, kept here) and counts for one term only.
    given_by_carer = models.ForeignKey(
        Carer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    arrangement = models.JSONField(
        default=dict, blank=True, help_text="The arrangement as the carer read it."
    )
    arrangement_version = models.CharField(max_length=64, blank=True)
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "party", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "party"],
                condition=Q(given_by_carer__isnull=True),
                name="cases_agreement_one_per_party",
                violation_error_message="This party's agreement is already recorded.",
            ),
            models.UniqueConstraint(
                fields=["case", "given_by_carer", "arrangement_version", "term"],
                condition=Q(given_by_carer__isnull=False),
                name="cases_agreement_carer_once_per_version_and_term",
                violation_error_message="You have already agreed this arrangement this term.",
            ),
            models.CheckConstraint(
                condition=Q(given_by_carer__isnull=True)
                | (Q(party="carers") & Q(term__isnull=False) & ~Q(arrangement_version="")),
                name="cases_agreement_carer_gives_carers_party",
                violation_error_message="A carer agrees as the carers' party, for a term.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} agreed"

    @property
    def is_given_by_carer(self) -> bool:
        return self.given_by_carer_id is not None

    @property
    def given_by_carer_line(self) -> str:
        """How staff see a carer's own agreement: theirs, never staff work."""
        return (
            f"Agreed by {self.agreed_by} (parent/carer) through the family portal on "
            f"{self.agreed_on:%d/%m/%Y}"
        )


class CaseDocument(StoredDocument):
    """A document on a case, or on one of its agreements (a consent letter, medical advice).
    Read by whoever reads the case; its file is deleted only when retention anonymises the
    case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text="The agreement it belongs to, if any (for example the signed consent).",
    )

    class Meta(StoredDocument.Meta):
        indexes = [models.Index(fields=["case", "attached_at"], name="cases_document_by_case")]


class Decision(models.TextChoices):
    CONTINUE = "continue", "Continue as planned"
    EXTEND = "extend", "Extend the time limit"
    REINTEGRATE = "reintegrate", "Begin reintegration"
    CLOSE = "close", "Close the case"


class Review(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    attendees = models.CharField(max_length=500)
    progress = models.TextField(max_length=4000)
    decision = models.CharField(max_length=12, choices=Decision.choices)
    new_end_date = models.DateField(
        "new time limit", null=True, blank=True, help_text="Only when extending."
    )
    next_review_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "held_on", "id"]

    def __str__(self) -> str:
        return f"Review on {self.held_on:%d/%m/%Y}"


class ReintegrationPlan(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="reintegration")
    support = models.TextField(
        max_length=4000, help_text="The support in place to help the pupil return."
    )
    flexibilities = models.TextField(
        blank=True, max_length=4000, help_text="For example a part-time timetable at first."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reintegration plan for case {self.case_id}"


class ReintegrationStep(models.Model):
    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(max_length=300)
    target_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "target_date", "id"]

    def __str__(self) -> str:
        return self.description


class ReintegrationPlanVersion(models.Model):
    """The plan as it stood after one change (its support, flexibilities and steps), with who
    changed it, when and why. The plan itself is the latest version; no version is edited."""

    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    support = models.TextField(max_length=4000)
    flexibilities = models.TextField(blank=True, max_length=4000)
    # Each step as {"description", "target_date", "done_on"}, dates in ISO form.
    steps = models.JSONField(default=list, blank=True)
    why = models.CharField(max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="cases_reintegration_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"Reintegration plan version {self.number}"

    @property
    def steps_shown(self) -> list[dict[str, object]]:
        """The steps with real dates, for showing in UK format."""
        day = datetime.date.fromisoformat
        return [
            {
                "description": step["description"],
                "target_date": day(step["target_date"]),
                "done_on": day(step["done_on"]) if step["done_on"] else None,
            }
            for step in self.steps
        ]


class WorkSentBy(models.TextChoices):
    EMAIL = "email", "Emailed"
    WORK_PACK = "work_pack", "Work pack sent home"
    PLATFORM = "platform", "Uploaded to the home learning platform"


class Provision(models.Model):
    """What was provided for one pupil on one school day (policy section 3.2)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="provisions")
    date = models.DateField()
    # Daily planning and differentiated activities, and how they went (any or all of these).
    sent_by_email = models.BooleanField("emailed", default=False)
    sent_as_work_pack = models.BooleanField("work pack", default=False)
    sent_to_platform = models.BooleanField("home learning platform", default=False)
    visual_timetable_sent = models.BooleanField(default=False)
    resources_signposted = models.BooleanField("online resources signposted", default=False)
    feedback = models.TextField(
        blank=True, max_length=2000, help_text="What the pupil or family said about the work."
    )
    work_links = models.TextField(
        "links to the work",
        blank=True,
        max_length=2000,
        validators=[web_links_validator],
        help_text="Web addresses the family can open, one a line, each starting https://.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "date"],
                name="cases_provision_one_per_day",
                violation_error_message="Provision for this day is already recorded.",
            )
        ]

    def __str__(self) -> str:
        return f"Provision on {self.date:%d/%m/%Y}"

    @property
    def planning_sent(self) -> bool:
        return self.sent_by_email or self.sent_as_work_pack or self.sent_to_platform

    @property
    def links(self) -> list[str]:
        """The links to the work that are web addresses (http or https), nothing else."""
        return web_links(self.work_links)


class FeedbackPeriod(models.TextChoices):
    DAY = "day", "One day"
    WEEK = "week", "The week"


class FeedbackRating(models.TextChoices):
    WENT_WELL = "went_well", "It went well"
    SOME_DIFFICULTY = "some_difficulty", "Some difficulty"
    COULD_NOT = "could_not", "We could not do it"


WORK_FEEDBACK_NOTE_LIMIT = 1000


class WorkFeedback(models.Model):
    """How a parent or carer found the work (policy section 3.2, "feedback from home"), given
    through the carers' portal for one school day or one school week, shown beside the
    provision. Written by the carer and kept as written: a second word on the same day or
    week is a new record."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="work_feedback")
    period = models.CharField(max_length=4, choices=FeedbackPeriod.choices)
    # The day, or the Monday of the week.
    starts_on = models.DateField()
    rating = models.CharField(max_length=16, choices=FeedbackRating.choices)
    note = models.TextField(blank=True, max_length=WORK_FEEDBACK_NOTE_LIMIT)
    carer = models.ForeignKey("schools.Carer", on_delete=models.PROTECT, related_name="+")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The carer's own sign-in.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__in=["day", "week"]),
                name="cases_work_feedback_period_known",
            )
        ]
        indexes = [models.Index(fields=["case", "starts_on"])]

    def __str__(self) -> str:
        return f"Feedback on {self.get_period_display().lower()} from {self.starts_on:%d/%m/%Y}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A family's feedback is kept as it was given.")
        super().save(*args, **kwargs)


class Wellbeing(models.TextChoices):
    WELL = "well", "Well and able to learn remotely"
    NOT_WELL = "not_well", "Not well enough to work"
    NOT_REACHED = "not_reached", "Not yet reached"


class InternetAccess(models.TextChoices):
    ONLINE = "online", "Online"
    PAPER = "paper", "Needs paper copies"
    BOTH = "both", "Both"
    UNKNOWN = "unknown", "Not yet known"


class ClosureCheck(models.Model):
    """The class overview a teacher completes after first contact in a closure (section 3.2)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="closure_check")
    wellbeing = models.CharField(
        max_length=12, choices=Wellbeing.choices, default=Wellbeing.NOT_REACHED
    )
    internet_access = models.CharField(
        max_length=8, choices=InternetAccess.choices, default=InternetAccess.UNKNOWN
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.get_wellbeing_display()}, {self.get_internet_access_display()}"


class PaperDelivery(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="paper_deliveries")
    delivered_on = models.DateField()
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "delivered_on"]

    def __str__(self) -> str:
        return f"Paper copies delivered {self.delivered_on:%d/%m/%Y}"


class StatusChange(models.Model):
    """Every change of a case's status, for the chronology."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=14, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["case", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class FlagKind(models.TextChoices):
    """Something overdue or needing action. Raised by scheduled rules; resolved by the action
    that answers it. Later apps add their kinds here so one dashboard can show them all."""

    REVIEW_OVERDUE = "review_overdue", "Review overdue"
    TIME_LIMIT_PASSED = "time_limit_passed", "Time limit reached or passed"
    AGREEMENTS_MISSING = "agreements_missing", "Agreements still missing"
    DAILY_CONTACT_MISSED = "daily_contact_missed", "No daily contact"
    WELLBEING_CHECK_OVERDUE = "wellbeing_overdue", "Weekly wellbeing check overdue"
    FAMILY_NOT_RESPONDING = "not_responding", "Family not responding: arrange a home visit"
    SOCIAL_WORKER_NOT_INFORMED = "sw_not_informed", "Social worker not yet informed"
    EXTRA_CALLS_SHORT = "extra_calls_short", "Extra calls decided by the DSL team not made"


class Flag(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=24, choices=FlagKind.choices)
    period = models.DateField(
        help_text="The day or the due date this flag is about; one flag per case, kind, period."
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "period"], name="cases_flag_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "kind"])]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
