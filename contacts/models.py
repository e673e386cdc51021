"""Contact with families (policy sections 3.1, 3.2 and 4): the plan for each case, the log of
every call or message, staff availability and cover, and the who-to-contact directory."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from cases.models import Case
from core.mailing import family_body
from core.outbox import OutboxMessage
from schools.models import School, Site


class ContactSettings(models.Model):
    """A school's choices for contact with families."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="contact_settings")
    available_from = models.TimeField(
        default=datetime.time(8, 45),
        help_text="When teachers providing remote learning are available from (section 3.1).",
    )
    available_until = models.TimeField(default=datetime.time(15, 25))
    no_response_school_days = models.PositiveSmallIntegerField(
        default=2,
        help_text="Consecutive school days without reaching the family before a home visit is "
        "flagged.",
    )
    no_response_attempts = models.PositiveSmallIntegerField(
        default=3,
        help_text="Failed attempts in a row before a home visit is flagged.",
    )
    family_report_counts_as_contact = models.BooleanField(
        default=False,
        help_text="Whether a parent or carer telling the school through the carers' portal "
        "that their child is unwell, cannot do the day's work or needs help counts as that "
        "day's daily contact. Extra calls the DSL team decided are still made by staff.",
    )
    complaint_response_school_days = models.PositiveSmallIntegerField(
        default=10,
        help_text="School days the school has to respond to a complaint or worry from a "
        "family, counted from the day after it is received. School days, not working days: "
        "the staff who answer are in school on school days only, as the school's complaints "
        "procedure counts them.",
    )

    class Meta:
        verbose_name_plural = "contact settings"

    def __str__(self) -> str:
        return f"Contact settings for {self.school}"


class ContactPlan(models.Model):
    """How often a case's family is contacted, beyond the daily contact every case has."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="contact_plan")
    wellbeing_check_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who makes the weekly health and wellbeing check; blank means the teacher.",
    )
    extra_calls_per_day = models.PositiveSmallIntegerField(
        default=0, help_text="Telephone calls a day beyond the daily contact (DSL decision)."
    )
    extra_call_weekdays = models.CharField(
        max_length=13,
        blank=True,
        help_text="Weekdays for extra calls as numbers, Monday=0, e.g. '0,2,4'; blank: every day.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_reason = models.TextField(blank=True, max_length=2000)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(extra_calls_per_day=0) | ~Q(decided_reason=""),
                name="contacts_plan_extra_calls_have_a_reason",
                violation_error_message="More frequent calls need the DSL team's reason.",
            )
        ]

    def __str__(self) -> str:
        return f"Contact plan for case {self.case_id}"


def weekday_numbers(weekdays: str) -> list[int]:
    """[0, 2] for '0,2' (Monday=0); [] for blank, which means every school day."""
    return sorted({int(d) for d in weekdays.split(",") if d.strip().isdigit() and int(d) < 7})


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ContactPlanVersion(models.Model):
    """One decision on a case's contact plan, kept for good.

    A change never overwrites a decision: contacts.services.contact_plan_save adds a version
    and copies its values onto the ContactPlan in the same transaction, so the plan always
    holds the current decision (Today, the flags and the extra-calls rule read it in the same
    single join as before) and the versions hold every decision with who, when and why.
    """

    plan = models.ForeignKey(ContactPlan, on_delete=models.CASCADE, related_name="versions")
    extra_calls_per_day = models.PositiveSmallIntegerField()
    extra_call_weekdays = models.CharField(max_length=13, blank=True)
    wellbeing_check_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    # When the next decision replaced this one; set once, by the service, and never again.
    replaced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="contacts_plan_version_has_a_reason",
                violation_error_message="Say why the plan changed.",
            )
        ]
        indexes = [models.Index(fields=["plan", "-decided_at"])]

    def __str__(self) -> str:
        return f"Contact plan decided {self.decided_at:%d/%m/%Y %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Appended to, never edited: the one change allowed is marking it replaced.
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"replaced_at"}:
            raise ValueError("A contact-plan decision is never changed: decide again instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> None:
        raise ValueError("A contact-plan decision is never changed or deleted.")

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None

    @property
    def weekday_names(self) -> str:
        return ", ".join(DAY_NAMES[d] for d in weekday_numbers(self.extra_call_weekdays))

    @property
    def summary(self) -> str:
        """'2 extra calls a day on Monday, Wednesday', or 'daily contact only'."""
        calls = self.extra_calls_per_day
        if not calls:
            return "daily contact only"
        days = self.weekday_names or "every school day"
        return f"{calls} extra call{'s' if calls != 1 else ''} a day on {days}"


class Channel(models.TextChoices):
    WEDUC = "weduc", "WEDUC"
    TEAMS = "teams", "Microsoft Teams"
    EMAIL = "email", "Email"
    TELEPHONE = "telephone", "Telephone"
    PLATFORM = "platform", "Home learning platform"
    HOME_VISIT = "home_visit", "Home visit"
    IN_PERSON = "in_person", "In person"


# Calls, for the DSL team's extra calls: a telephone or Teams video call, answered or not.
# WEDUC, email, the platform, a home visit or a meeting reach the family but are not calls.
CALL_CHANNELS = (Channel.TELEPHONE, Channel.TEAMS)


class ContactKind(models.TextChoices):
    DAILY = "daily", "Daily contact"
    WELLBEING = "wellbeing", "Weekly health and wellbeing check"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    SPOKE_WITH_PUPIL = "pupil", "Spoke with the pupil"
    SPOKE_WITH_CARER = "carer", "Spoke with a parent or carer"
    MESSAGE_LEFT = "message", "Left a message"
    NO_RESPONSE = "none", "No response"


SUCCESSFUL_OUTCOMES = frozenset({Outcome.SPOKE_WITH_PUPIL, Outcome.SPOKE_WITH_CARER})

# The weekly health and wellbeing check (section 3.2) is done only when someone spoke with the
# pupil or a carer: a message left or no answer is an attempt, not a check. Today, the
# overdue-check flag, the service resolving it and the reports all use this one definition,
# as a query (WELLBEING_CHECK_DONE) or as SQL (wellbeing_check_done_sql), built from the same
# two constants.
WELLBEING_CHECK_OUTCOMES = tuple(sorted(SUCCESSFUL_OUTCOMES))
# The same outcomes make the daily contact (daily_contact_made below).
REACHED_OUTCOMES = WELLBEING_CHECK_OUTCOMES
WELLBEING_CHECK_DONE = Q(kind=ContactKind.WELLBEING, outcome__in=WELLBEING_CHECK_OUTCOMES)


def wellbeing_check_done_sql(alias: str) -> tuple[str, list[str]]:
    """The same test as WELLBEING_CHECK_DONE, over the contact table named ``alias``."""
    outcomes = ", ".join(["%s"] * len(WELLBEING_CHECK_OUTCOMES))
    return (
        f"{alias}.kind = %s AND {alias}.outcome IN ({outcomes})",
        [ContactKind.WELLBEING, *WELLBEING_CHECK_OUTCOMES],
    )


class ContactLog(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contacts")
    contacted_at = models.DateTimeField()
    # The school date of contacted_at (Europe/London), kept so scheduled rules can match
    # contacts to school days in SQL without time-zone arithmetic.
    contact_date = models.DateField(editable=False)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=10, choices=ContactKind.choices, default=ContactKind.DAILY)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    pupil_well = models.BooleanField(
        "pupil well and able to work", null=True, blank=True, help_text="Leave blank if unknown."
    )
    wellbeing_notes = models.TextField(blank=True, max_length=2000)
    work_feedback = models.TextField(
        "what the family said about the work", blank=True, max_length=2000
    )
    late_reason = models.TextField(
        "why it is logged late",
        blank=True,
        max_length=1000,
        help_text="Needed when logged more than two school days after the contact.",
    )
    # One per form shown: a second submit of the same form cannot record a second contact.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-contacted_at"]),
            models.Index(fields=["case", "contact_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.contacted_at:%d/%m/%Y %H:%M}"

    @property
    def successful(self) -> bool:
        return self.outcome in SUCCESSFUL_OUTCOMES

    @property
    def logged_on(self) -> datetime.date:
        return timezone.localdate(self.recorded_at)

    @property
    def counts_as_wellbeing_check(self) -> bool:
        """WELLBEING_CHECK_DONE, for one contact already in hand."""
        return self.kind == ContactKind.WELLBEING and self.outcome in WELLBEING_CHECK_OUTCOMES


class AbsenceReason(models.TextChoices):
    SICKNESS = "sickness", "Sickness"
    DEPENDANT = "dependant", "Caring for a dependant"
    OTHER = "other", "Other"


class StaffAbsence(models.Model):
    """A member of staff unable to work during remote-learning hours (section 3.1)."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="staff_absences")
    first_day = models.DateField()
    last_day = models.DateField()
    reason = models.CharField(max_length=10, choices=AbsenceReason.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_day", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="contacts_absence_ends_after_start",
                violation_error_message="The last day cannot be before the first.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.first_day:%d/%m/%Y} to {self.last_day:%d/%m/%Y}"


class CoverAssignment(models.Model):
    """Who makes a case's contacts while its usual teacher is absent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cover")
    absence = models.ForeignKey(StaffAbsence, on_delete=models.CASCADE, related_name="cover")
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cover_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "absence"], name="contacts_cover_once_per_absence"
            )
        ]

    def __str__(self) -> str:
        return f"Cover for case {self.case_id}"


class Concern(models.TextChoices):
    """The 'who to contact' headings of policy section 4."""

    SETTING_WORK = "setting_work", "Issues in setting work"
    IT = "it", "Issues with IT"
    WORKLOAD = "workload", "Your own workload or wellbeing"
    DATA_PROTECTION = "data_protection", "Concerns about data protection"
    SAFEGUARDING = "safeguarding", "Concerns about safeguarding"
    FAMILY_WELFARE = "family_welfare", "Concerns about family welfare"
    PUPIL_HEALTH = "pupil_health", "Concerns about pupil health"


class DirectoryEntry(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="directory")
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text="Leave blank when the entry is for the whole school.",
    )
    concern = models.CharField(max_length=16, choices=Concern.choices)
    name = models.CharField(max_length=150, help_text="A person, team or service.")
    role = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    notes = models.CharField(max_length=300, blank=True)
    external = models.BooleanField(
        default=False, help_text="An outside service, such as a confidential support line."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name_plural = "directory entries"
        ordering = ["school", "concern", "site", "position", "name"]

    def __str__(self) -> str:
        return f"{self.get_concern_display()}: {self.name}"


class MessageScope(models.TextChoices):
    CLASS = "class", "A class"
    SITE = "site", "A site"
    SCHOOL = "school", "The whole school"


class FamilyMessage(models.Model):
    """A notice emailed to every family in a class, site or school (a closure, a change to
    the timetable). Each family gets its own message (policy 5.2); the text is kept."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="family_messages"
    )
    scope = models.CharField(max_length=10, choices=MessageScope.choices)
    site = models.ForeignKey(
        "schools.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(max_length=120)
    body = models.TextField(max_length=3000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="family_messages"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    families_without_email = models.PositiveIntegerField(
        default=0, help_text="Families in the group with no email address, to reach another way."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope="class", school_class__isnull=False, site__isnull=True)
                    | models.Q(scope="site", site__isnull=False, school_class__isnull=True)
                    | models.Q(scope="school", site__isnull=True, school_class__isnull=True)
                ),
                name="contacts_familymessage_scope_matches",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class FamilyMessageDelivery(OutboxMessage):
    """One family's copy of a message, sent by the outbox. The address is read from the carer
    when it is sent and is not copied here: the record says who was sent what, not where they
    live online."""

    message = models.ForeignKey(FamilyMessage, on_delete=models.CASCADE, related_name="deliveries")
    carer = models.ForeignKey(
        "schools.Carer", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    pupil_id = models.BigIntegerField(help_text="The child whose family this is, for the audit.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "carer"], name="contacts_delivery_one_per_carer"
            )
        ]
        indexes = [models.Index(fields=["status", "message"])]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.get_status_display()}"

    def email_recipients(self) -> list[str]:
        """Exactly this one family's address (policy 5.2), or none if it has gone."""
        return [self.carer.email] if self.carer else []

    def email_subject(self) -> str:
        return self.message.subject

    def email_body(self) -> str:
        return family_body(self.message.body, school_name=self.message.school.name)


class FamilyReportKind(models.TextChoices):
    UNWELL = "unwell", "Unwell"
    CANNOT_WORK = "cannot_work", "Cannot do today's work"
    NEEDS_HELP = "needs_help", "Asked for help with the work"


FAMILY_REPORT_NOTE_LIMIT = 500


class FamilyReport(models.Model):
    """What a parent or carer told the school through the carers' portal about one school day:
    the child is unwell, cannot do the day's work, or the family needs help with it.

    Written by the carer, never by staff: staff pages show it as reported by the carer. One
    per pupil, day and kind; kept as it was written (a further report is a new record).
    """

    pupil = models.ForeignKey(
        "schools.Pupil", on_delete=models.PROTECT, related_name="family_reports"
    )
    day = models.DateField(help_text="The school day the report is about.")
    kind = models.CharField(max_length=12, choices=FamilyReportKind.choices)
    note = models.TextField(blank=True, max_length=FAMILY_REPORT_NOTE_LIMIT)
    carer = models.ForeignKey("schools.Carer", on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The carer's own sign-in.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "day", "kind"],
                name="contacts_family_report_once_per_day_and_kind",
                violation_error_message="This has already been reported for this day.",
            )
        ]
        indexes = [models.Index(fields=["pupil", "day"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.day:%d/%m/%Y}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A family's report is kept as it was made.")
        super().save(*args, **kwargs)


# The one definition of "the daily contact was made" on a day, used by Today, the missed
# contact flag and the oversight reports: a contact on that day in which someone spoke with
# the pupil or a carer (a message left or no answer is an attempt, not a contact), or, where the
# school's contact settings say so, a report the family made through the carers' portal about
# that day. A family report is never a staff attempt: it is not a ContactLog, so it never
# counts as "no response", as a call, or towards the extra calls the DSL team decided.
def daily_contact_made(day: datetime.date, *, case: str = "pk", pupil: str = "pupil") -> Q:
    """DAILY_CONTACT_MADE as a filter over cases (``case`` and ``pupil`` name the case's id
    and its pupil from the outer query)."""
    reached = ContactLog.objects.filter(
        case=OuterRef(case), contact_date=day, outcome__in=REACHED_OUTCOMES
    )
    return Q(Exists(reached)) | Q(Exists(family_reports_counted(day).filter(pupil=OuterRef(pupil))))


def family_reports_counted(day: datetime.date):
    """The family reports about ``day`` that count as its daily contact."""
    return FamilyReport.objects.filter(
        day=day, pupil__school__contact_settings__family_report_counts_as_contact=True
    )


_DAILY_CONTACT_MADE = """(EXISTS (
    SELECT 1 FROM {contact} l WHERE l.case_id = c.id AND l.contact_date = {day}
    AND l.outcome IN ({reached})
) OR EXISTS (
    SELECT 1 FROM {family_report} fr
    JOIN {contact_settings} fs ON fs.school_id = p.school_id
    WHERE fr.pupil_id = c.pupil_id AND fr.day = {day} AND fs.family_report_counts_as_contact
))"""


def daily_contact_made_sql(day: str) -> str:
    """The same test in SQL over ``c`` (the case) and ``p`` (its pupil), for the day ``day``
    (an SQL expression; each ``%s`` in it is a parameter the caller gives once per
    occurrence: DAILY_CONTACT_MADE_DAY_USES times). Names the tables {contact},
    {family_report} and {contact_settings}."""
    # The outcomes are this module's own constants, never input, so they are written in.
    reached = ", ".join(f"'{outcome}'" for outcome in REACHED_OUTCOMES)
    return _DAILY_CONTACT_MADE.replace("{day}", day).replace("{reached}", reached)


DAILY_CONTACT_MADE_DAY_USES = 2
