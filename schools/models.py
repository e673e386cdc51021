"""Schools, their sites, classes and pupils, the staff who work there, and the school calendar."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

urn_validator = RegexValidator(r"^\d{6,7}$", "A URN is six or seven digits.")
# A UPN is a letter, eleven digits and a final check character (letter or digit).
upn_validator = RegexValidator(
    r"^[A-Z]\d{11}[A-Z0-9]$", "A UPN is 13 characters: a letter, 11 digits and a letter or digit."
)


class ArchivedQuerySet(models.QuerySet):
    def current(self) -> "ArchivedQuerySet":
        """What new work may be given to: not archived."""
        return self.filter(archived_at__isnull=True)


class Archivable(models.Model):
    """Archived, never deleted: hidden from the pickers of new work, its history kept."""

    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ArchivedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class School(models.Model):
    name = models.CharField(max_length=200)
    urn = models.CharField(
        "URN",
        max_length=7,
        unique=True,
        validators=[urn_validator],
        help_text="The school's unique reference number.",
    )
    local_authority = models.CharField(max_length=120)
    safeguarding_partnership_name = models.CharField(
        max_length=200,
        help_text="The local safeguarding children partnership families are pointed to.",
    )
    safeguarding_partnership_url = models.URLField(
        blank=True, help_text="Where families can read how to report a safeguarding concern."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Site(Archivable):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="schools_site_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Pathway(Archivable):
    """A curriculum route through the school (for example a sensory or a formal pathway)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pathways")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="schools_pathway_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    POST_16 = "post16", "Post-16"


class SchoolClass(Archivable):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="classes")
    pathway = models.ForeignKey(
        Pathway, on_delete=models.PROTECT, related_name="classes", null=True, blank=True
    )
    name = models.CharField(max_length=60)
    phase = models.CharField(max_length=10, choices=Phase.choices)

    class Meta:
        verbose_name = "class"
        verbose_name_plural = "classes"
        ordering = ["site", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="schools_class_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.pathway_id and self.site_id and self.pathway.school_id != self.site.school_id:
            raise ValidationError({"pathway": "This pathway belongs to another school."})


class Pupil(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="pupils", verbose_name="class"
    )
    upn = models.CharField(
        "UPN", max_length=13, validators=[upn_validator], help_text="Unique pupil number."
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="What the pupil likes to be called, if different."
    )
    date_of_birth = models.DateField()
    has_ehc_plan = models.BooleanField("has an EHC plan", default=False)
    social_worker_name = models.CharField(max_length=150, blank=True)
    social_worker_authority = models.CharField(
        max_length=150, blank=True, help_text="The local authority the social worker works for."
    )
    social_worker_phone = models.CharField(max_length=30, blank=True)
    social_worker_email = models.EmailField(blank=True)
    on_roll = models.BooleanField(
        default=True, help_text="Untick when the pupil leaves; their records are kept."
    )
    school_email = models.EmailField(
        blank=True,
        help_text="The pupil's school email address: the only address virtual session "
        "invitations go to.",
    )

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "upn"], name="schools_pupil_unique_upn"),
            # Policy section 2: every pupil here has an EHC plan or a social worker.
            models.CheckConstraint(
                condition=Q(has_ehc_plan=True) | ~Q(social_worker_name=""),
                name="schools_pupil_ehc_plan_or_social_worker",
                violation_error_message=("Every pupil needs an EHC plan or a named social worker."),
            ),
        ]
        indexes = [models.Index(fields=["school_class", "last_name"])]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("schools:pupil_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    @property
    def has_social_worker(self) -> bool:
        return bool(self.social_worker_name)

    def clean(self) -> None:
        if (
            self.school_class_id
            and self.school_id
            and self.school_class.site.school_id != self.school_id
        ):
            raise ValidationError({"school_class": "This class belongs to another school."})
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": "The date of birth cannot be in the future."})


class ContactChannel(models.TextChoices):
    """The agreed ways of reaching a family (policy section 3.2)."""

    WEDUC = "weduc", "WEDUC"
    TEAMS = "teams", "Microsoft Teams"
    EMAIL = "email", "Email"
    TELEPHONE = "telephone", "Telephone"
    HOME_LEARNING_PLATFORM = "platform", "Home learning platform"


class CarerRelationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    PARENT = "parent", "Parent"
    STEP_PARENT = "step_parent", "Step-parent"
    GRANDPARENT = "grandparent", "Grandparent"
    FOSTER_CARER = "foster_carer", "Foster carer"
    GUARDIAN = "guardian", "Guardian"
    OTHER_RELATIVE = "relative", "Other relative"
    OTHER = "other", "Other"


class Carer(models.Model):
    """A parent or carer, the person: one record however many of the school's pupils they care
    for. What they are to each child (mother, foster carer, first to call) is on the link."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="carers")
    full_name = models.CharField(max_length=150)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    preferred_channel = models.CharField(
        max_length=12, choices=ContactChannel.choices, default=ContactChannel.TELEPHONE
    )
    pupils = models.ManyToManyField(Pupil, through="CarerLink", related_name="carers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carer",
        help_text="Their account on the carers' portal, once they accept an invitation.",
    )

    class Meta:
        ordering = ["full_name", "id"]
        indexes = [models.Index(fields=["school", "full_name"])]

    def __str__(self) -> str:
        return self.full_name


CROSS_SCHOOL_LINK = (
    "This carer is recorded at another school: a carer can only be linked to pupils of the "
    "same school."
)


class CarerLink(models.Model):
    """One carer's relationship to one pupil. Siblings who share a parent share the carer
    record, each with a link of their own."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="carer_links")
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="links")
    relationship = models.CharField(max_length=20, choices=CarerRelationship.choices)
    has_parental_responsibility = models.BooleanField(default=True)
    priority = models.PositiveSmallIntegerField(
        default=1, help_text="1 is the first person to contact."
    )
    contact_restricted = models.BooleanField(
        default=False,
        help_text="No contact, or contact restricted, by a court order or the DSL's decision.",
    )
    restriction_reason = models.TextField(blank=True)
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    restricted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pupil", "priority", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "carer"], name="schools_carerlink_unique"),
            models.CheckConstraint(
                condition=Q(contact_restricted=False) | ~Q(restriction_reason=""),
                name="schools_carerlink_restriction_has_reason",
                violation_error_message="Give the reason contact is restricted.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carer.full_name} ({self.get_relationship_display()})"

    def clean(self) -> None:
        if self.pupil_id and self.carer_id and self.pupil.school_id != self.carer.school_id:
            raise ValidationError({"carer": CROSS_SCHOOL_LINK})
        if self.contact_restricted and not self.restriction_reason.strip():
            raise ValidationError({"restriction_reason": "Give the reason contact is restricted."})


class Role(models.TextChoices):
    """Staff roles from policy section 3."""

    TEACHER = "teacher", "Teacher"
    CLASS_STAFF = "class_staff", "Class staff"
    SLT = "slt", "SLT or middle leader"
    HEADTEACHER = "headteacher", "Headteacher"
    DSL = "dsl", "Designated Safeguarding Lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy DSL"
    IT_STAFF = "it_staff", "IT staff"
    DPO = "dpo", "Data Protection Officer"
    FAMILY_SUPPORT = "family_support", "Family support worker"
    SCHOOL_NURSE = "school_nurse", "School nurse"
    GOVERNOR = "governor", "Governor"
    CHAIR_OF_GOVERNORS = "chair", "Chair of governors"


class Membership(models.Model):
    """A person's role at a school, optionally narrowed to one site or one class.

    Someone who teaches two classes holds two teacher memberships; an SLT member overseeing
    three classes holds three. A membership with neither site nor class covers the school.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="class",
    )

    class Meta:
        ordering = ["school", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                condition=Q(site__isnull=True, school_class__isnull=True),
                name="schools_membership_unique_school_wide",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "site"],
                condition=Q(site__isnull=False, school_class__isnull=True),
                name="schools_membership_unique_per_site",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school_class"],
                condition=Q(school_class__isnull=False),
                name="schools_membership_unique_per_class",
            ),
            models.CheckConstraint(
                condition=Q(site__isnull=True) | Q(school_class__isnull=True),
                name="schools_membership_site_or_class_not_both",
                violation_error_message="Narrow a membership to a site or a class, not both.",
            ),
        ]

    def __str__(self) -> str:
        scope = self.school_class or self.site or self.school
        return f"{self.get_role_display()} · {scope}"

    def clean(self) -> None:
        if self.site_id and self.school_id and self.site.school_id != self.school_id:
            raise ValidationError({"site": "This site belongs to another school."})
        if (
            self.school_class_id
            and self.school_id
            and self.school_class.site.school_id != self.school_id
        ):
            raise ValidationError({"school_class": "This class belongs to another school."})


class Term(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=60, help_text="For example: Autumn 2026.")
    first_day = models.DateField()
    last_day = models.DateField()
    draft = models.BooleanField(
        default=False,
        help_text="A draft (copied forward from last year) does not count as school days "
        "until it is confirmed.",
    )

    class Meta:
        ordering = ["school", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="schools_term_ends_after_it_starts",
                violation_error_message="A term cannot end before it starts.",
            ),
            models.UniqueConstraint(fields=["school", "name"], name="schools_term_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ClosureKind(models.TextChoices):
    INSET = "inset", "INSET day"
    CLOSURE = "closure", "School closed"
    HOLIDAY = "holiday", "Holiday within term"


class ClosureDay(models.Model):
    """A weekday inside a term when pupils are not expected in school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=ClosureKind.choices)
    description = models.CharField(max_length=200, blank=True)
    draft = models.BooleanField(
        default=False, help_text="A draft closure takes effect when it is confirmed."
    )

    class Meta:
        ordering = ["school", "date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="schools_closure_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class SchoolDay(models.Model):
    """One row per day pupils are expected in school, derived from terms, closures and bank
    holidays by ``schools.services.school_days_refresh``.

    Kept as a table so scheduled rules can join against school days in SQL instead of
    looping over dates in Python.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="school_days")
    date = models.DateField()

    class Meta:
        ordering = ["school", "date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="schools_schoolday_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}"


class CalendarNoticeKind(models.TextChoices):
    ENDING = "ending", "Fewer than six school weeks of calendar left"
    MISSING = "missing", "No school days ahead in the calendar"


class CalendarNotice(models.Model):
    """Raised by the daily calendar check for the headteacher and administrators: the calendar
    is about to run out (or has), so time limits, reviews and sessions beyond it are refused.

    One per school, kind and week (the Monday), so running the check twice raises nothing new;
    cleared when the calendar is extended.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="calendar_notices")
    kind = models.CharField(max_length=10, choices=CalendarNoticeKind.choices)
    week = models.DateField(help_text="The Monday of the week the check raised it.")
    last_school_day = models.DateField(null=True, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-week"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "week"], name="schools_calendarnotice_unique_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.get_kind_display()}"


class PupilUserObjectPermission(UserObjectPermissionBase):
    """An explicit share of one pupil with one person (a family support worker, a nurse).

    A direct foreign key (rather than guardian's generic table) lets the visibility scope be a
    plain SQL join.
    """

    content_object = models.ForeignKey(Pupil, on_delete=models.CASCADE)


class PupilGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Pupil, on_delete=models.CASCADE)


class MisImportKind(models.TextChoices):
    """The four MIS export layouts (docs/mis-import.md), in the order a new school imports them."""

    CLASSES = "classes", "Classes"
    STAFF = "staff", "Staff"
    PUPILS = "pupils", "Pupils"
    CARERS = "carers", "Carers"


class MisImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    CHECKING = "checking", "Checking rows"
    WRITING = "writing", "Saving changes"
    CHECKED = "checked", "Checked: no errors"
    APPLIED = "applied", "Imported"
    FAILED = "failed", "Errors found: nothing was saved"
    ERROR = "error", "Stopped unexpectedly: nothing was saved"


class MisImportSource(models.TextChoices):
    WEB = "web", "Upload page"
    COMMAND = "command", "Management command"


class MisImport(models.Model):
    """One MIS CSV file checked (dry run) or imported into one school, with its report.

    The file itself is kept in the database (not under MEDIA) so a Celery worker on another
    host can read it, and only for as long as it is needed: it is cleared once imported or
    rejected, and a clean dry run's copy is cleared by the sweep after a few days.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="mis_imports")
    kind = models.CharField(max_length=10, choices=MisImportKind.choices)
    dry_run = models.BooleanField(default=True)
    source = models.CharField(
        max_length=10, choices=MisImportSource.choices, default=MisImportSource.WEB
    )
    status = models.CharField(
        max_length=10, choices=MisImportStatus.choices, default=MisImportStatus.QUEUED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(max_length=255, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "MIS import"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("schools:import_status", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status not in {
            MisImportStatus.QUEUED,
            MisImportStatus.CHECKING,
            MisImportStatus.WRITING,
        }

    @property
    def percent_done(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
