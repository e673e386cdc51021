"""IT support (policy section 3.5): technical issues raised by staff, help given to families, and
loaned devices and connectivity.

- A SupportRequest is a technical issue with a system used to set and collect work, or help a
  member of staff gave a parent or carer, so IT and SLT see the demand. Notes are appended to
  it, never edited.
- A DeviceLoan is a laptop, tablet, dongle or router lent to a pupil; an asset tag is out to
  one pupil at a time (the database refuses a second open loan of the same tag).
- FamilyAssistance is help IT gave a family to get online or use a device.
- A DeviceNeed says a pupil needs a device, internet access or paper copies (the §3.2 plan),
  until someone records how it was met.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from schools.models import Pupil, School, Site


class System(models.TextChoices):
    PLATFORM = "platform", "Home learning platform"
    TEAMS = "teams", "Microsoft Teams"
    WEDUC = "weduc", "WEDUC"
    EMAIL = "email", "Email"
    DEVICE = "device", "School device"
    OTHER = "other", "Other"


class RequestKind(models.TextChoices):
    ISSUE = "issue", "Technical issue"
    FAMILY_HELP = "family_help", "Help for a parent or carer"


class Urgency(models.TextChoices):
    HIGH = "high", "High: work cannot be set or collected"
    NORMAL = "normal", "Normal: today if possible"
    LOW = "low", "Low: when there is time"


class SupportRequest(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where the issue is; empty when it is not about one site.",
    )
    kind = models.CharField(max_length=12, choices=RequestKind.choices, default=RequestKind.ISSUE)
    system = models.CharField(max_length=10, choices=System.choices)
    description = models.TextField(max_length=2000)
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when a parent or carer asked for the help themselves through the carers' portal:
    # raised_by is then the carer's own sign-in, and pages name the carer, not staff.
    raised_by_carer = models.ForeignKey(
        "schools.Carer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="raised by parent or carer",
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(
        max_length=2000, blank=True, help_text="What was done to fix the issue or help."
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True)
                | (Q(resolved_at__isnull=False, resolved_by__isnull=False) & ~Q(resolution="")),
                name="itsupport_request_resolved_with_what_was_done",
                violation_error_message="Say what was done when resolving a request.",
            )
        ]
        indexes = [models.Index(fields=["school", "resolved_at"])]

    def __str__(self) -> str:
        return f"IT request {self.pk}: {self.get_system_display()}"

    @property
    def raised_by_name(self) -> str:
        """Who raised it, as staff pages show it: a carer is never shown as staff."""
        if self.raised_by_carer_id is not None:
            return f"{self.raised_by_carer.full_name} (parent/carer)"
        return self.raised_by.get_full_name() or self.raised_by.email

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class SupportNote(models.Model):
    """A note appended to a request. Never edited: a correction is a further note."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"Note on IT request {self.request_id}"


class LoanKind(models.TextChoices):
    LAPTOP = "laptop", "Laptop"
    TABLET = "tablet", "Tablet"
    DONGLE = "dongle", "Mobile data dongle or SIM"
    ROUTER = "router", "Router"


class ReturnCondition(models.TextChoices):
    GOOD = "good", "Good working order"
    WORN = "worn", "Worn but working"
    DAMAGED = "damaged", "Damaged"
    FAULTY = "faulty", "Faulty"
    INCOMPLETE = "incomplete", "Missing parts (charger, case)"


class DeviceLoan(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="device_loans")
    kind = models.CharField(max_length=8, choices=LoanKind.choices)
    asset_tag = models.CharField(
        "asset tag or serial number",
        max_length=64,
        help_text="As printed on the device or SIM; one pupil may hold it at a time.",
    )
    lent_on = models.DateField()
    expected_back = models.DateField(help_text="When the device is due back in school.")
    notes = models.CharField(max_length=500, blank=True)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    returned_on = models.DateField(null=True, blank=True)
    return_condition = models.CharField(max_length=10, choices=ReturnCondition.choices, blank=True)
    return_notes = models.CharField(max_length=500, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_recorded_at = models.DateTimeField(null=True, blank=True)
    overdue_noted_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the overdue-returns check first found this loan past its date.",
    )

    class Meta:
        ordering = ["expected_back", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "asset_tag"],
                condition=Q(returned_on__isnull=True),
                name="itsupport_one_open_loan_per_asset",
                violation_error_message=(
                    "This device is already out on loan: record its return before lending it again."
                ),
            ),
            models.CheckConstraint(
                condition=Q(expected_back__gte=F("lent_on")),
                name="itsupport_loan_back_after_lent",
                violation_error_message="The expected return date is before the loan started.",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("lent_on")),
                name="itsupport_loan_returned_after_lent",
                violation_error_message="The return date is before the loan started.",
            ),
        ]
        indexes = [models.Index(fields=["returned_on", "expected_back"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset_tag}"

    @property
    def is_out(self) -> bool:
        return self.returned_on is None


class AssistanceKind(models.TextChoices):
    INTERNET = "internet", "Set up home internet"
    DATA = "data", "Data or SIM provided"
    ACCOUNT = "account", "Account or log-in help"
    DEVICE_SETUP = "device_setup", "Device set up"
    OTHER = "other", "Other"


class FamilyAssistance(models.Model):
    """Help IT gave a pupil or their family to get online or use a device (section 3.5)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="it_assistance")
    kind = models.CharField(max_length=12, choices=AssistanceKind.choices)
    given_on = models.DateField()
    notes = models.TextField(max_length=2000, help_text="What was done, and what is left to do.")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name_plural = "family assistance"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.given_on:%d/%m/%Y}"


class NeedKind(models.TextChoices):
    DEVICE = "device", "A device"
    INTERNET = "internet", "Internet access"
    PAPER = "paper", "Paper copies"


class DeviceNeed(models.Model):
    """A pupil who needs a device, internet access or paper copies to learn at home."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="device_needs")
    need = models.CharField(max_length=8, choices=NeedKind.choices)
    notes = models.CharField(max_length=500, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    met_on = models.DateField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    met_loan = models.ForeignKey(
        DeviceLoan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs_met",
        help_text="The loan that met this need, if it was met by a loan.",
    )
    met_how = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "need"],
                condition=Q(met_on__isnull=True),
                name="itsupport_one_open_need_per_kind",
                violation_error_message="This need is already recorded for the pupil.",
            ),
            models.CheckConstraint(
                condition=Q(met_on__isnull=True, met_by__isnull=True)
                | Q(met_on__isnull=False, met_by__isnull=False),
                name="itsupport_need_met_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Needs {self.get_need_display().lower()}"

    @property
    def is_open(self) -> bool:
        return self.met_on is None
