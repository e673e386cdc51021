"""Every per-school setting the rules read, described once.

A descriptor names where the value lives (the owning model and field, and for per-kind rows
such as retention rules the kind), the policy section it comes from, the range a school may
choose from and its unit. The settings page, the change form, the service's range check and
the history all read from here; the default and the help text come from the owning model
where it has them, so nothing is typed twice. A test fails when a settings model gains a
field that has no descriptor.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from cases.models import (
    CLOSURE_CODES_SET_BY_REGULATION,
    DEFAULT_ATTENDANCE_CODES,
    AttendanceCodeChoice,
    CaseSettings,
    Reason,
)
from contacts.models import ContactSettings
from dpo.models import DEFAULT_RETENTION_YEARS, RetentionKind, RetentionRule
from safeguarding.models import SafeguardingSettings

type Value = bool | int | datetime.time | str

CASES = "Cases"
CONTACT = "Contact with families"
SAFEGUARDING = "Safeguarding"
RETENTION = "Data protection: retention"
ATTENDANCE = "Attendance codes"
GROUPS = (CASES, CONTACT, SAFEGUARDING, RETENTION, ATTENDANCE)


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    group: str
    label: str
    model: type[models.Model]
    field: str
    policy: str
    minimum: int | datetime.time | None = None
    maximum: int | datetime.time | None = None
    unit: str = ""
    # Per-kind row models (one row per school and kind): the kind's field and value, and the
    # default used while the school has no row.
    row: tuple[str, str] | None = None
    row_default: Value | None = None
    help: str = ""
    # The key of a setting (of the same model) this one must be earlier than.
    before: str = ""

    @property
    def model_field(self) -> models.Field:
        return self.model._meta.get_field(self.field)

    @property
    def default(self) -> Value:
        return self.row_default if self.row is not None else self.model_field.get_default()

    @property
    def help_text(self) -> str:
        return self.help or str(self.model_field.help_text)

    @property
    def is_time(self) -> bool:
        return isinstance(self.model_field, models.TimeField)

    @property
    def is_bool(self) -> bool:
        return isinstance(self.model_field, models.BooleanField)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return list(self.model_field.choices or [])

    def to_text(self, value: Value) -> str:
        """The value as the history keeps it."""
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    def display(self, value: Value | str) -> str:
        """The value with its unit, for people: "30 school days", "08:45", "Y6"."""
        text = self.to_text(value) if not isinstance(value, str) else value
        if self.is_bool:
            return text.capitalize()
        if not self.unit:
            return text
        unit = self.unit.removesuffix("s") if text == "1" else self.unit
        return f"{text} {unit}"

    @property
    def display_default(self) -> str:
        return self.display(self.default)

    def allowed(self) -> str:
        if self.is_bool:
            return "Yes or no"
        if self.choices:
            return "One of the 2024 attendance codes listed"
        return f"{self.to_text(self.minimum)} to {self.display(self.maximum)}"

    def check(self, value: Value) -> None:
        """Refuse, at the value field, anything outside the allowed range."""
        if self.is_bool:
            if not isinstance(value, bool):
                raise ValidationError({"value": "Choose yes or no."})
            return
        if self.choices:
            if value not in {code for code, _ in self.choices}:
                raise ValidationError({"value": "Choose one of the codes listed."})
            return
        if not self.minimum <= value <= self.maximum:
            what = "a time" if self.is_time else "a number"
            raise ValidationError({"value": f"Choose {what} from {self.allowed()}."})

    def form_field(self) -> forms.Field:
        """The field for a new value. It parses the value; the service checks the range, so
        its message is the one shown whoever calls it."""
        common = {"label": "New value", "help_text": f"Allowed: {self.allowed().lower()}."}
        if self.is_bool:
            return forms.TypedChoiceField(
                choices=[(True, "Yes"), (False, "No")],
                coerce=lambda text: text in (True, "True"),
                widget=forms.RadioSelect,
                **common,
            )
        if self.choices:
            return forms.ChoiceField(
                choices=[
                    (code, f"{label} (default)" if code == self.default else label)
                    for code, label in self.choices
                ],
                **common,
            )
        if self.is_time:
            return forms.TimeField(
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), **common
            )
        return forms.IntegerField(**common)


def _retention_rules() -> Iterator[Setting]:
    ranges = {RetentionKind.CHILD_PROTECTION: (25, 100), RetentionKind.CASE: (1, 25)}
    helps = {
        RetentionKind.CHILD_PROTECTION: "Years after the pupil's date of birth that a "
        "child-protection file is kept before it is reviewed.",
        RetentionKind.CASE: "Years after a remote-education case closed that its record is "
        "kept before it is reviewed for anonymisation.",
    }
    for kind in RetentionKind:
        low, high = ranges[kind]
        yield Setting(
            key=f"retention_{kind.value}",
            group=RETENTION,
            label=kind.label,
            model=RetentionRule,
            field="years",
            policy="§5 data protection",
            minimum=low,
            maximum=high,
            unit="years",
            row=("kind", kind.value),
            row_default=DEFAULT_RETENTION_YEARS[kind],
            help=helps[kind],
        )


def _attendance_codes() -> Iterator[Setting]:
    # A reason whose code the regulations set has no setting: a choice there would do nothing.
    for reason in (r for r in Reason if r not in CLOSURE_CODES_SET_BY_REGULATION):
        yield Setting(
            key=f"attendance_code_{reason.value}",
            group=ATTENDANCE,
            label=reason.label,
            model=AttendanceCodeChoice,
            field="code",
            policy="§2 marked absent",
            row=("reason", reason.value),
            row_default=str(DEFAULT_ATTENDANCE_CODES[reason]),
            help="The register code used while a pupil learns remotely for this reason "
            "(pupils receiving remote education are marked absent).",
        )


def _field(model: type[models.Model], field: str, **described: object) -> Setting:
    """A setting held in a field of a one-row-per-school settings model, named by its field."""
    return Setting(key=field, model=model, field=field, **described)


DAYS = "school days"
# Minutes counted only on school days, within the school day.
SCHOOL_MINUTES = "minutes of school time"

# Monday to Friday other than bank holidays in England: how agencies count.
WORKING_DAYS = "working days"
# Each agency's expected response to a referral, with the longest a school may choose.
REFERRAL_RESPONSE_TIMES = (
    # A typographic apostrophe: the settings page shows the label as written, unescaped.
    ("referral_social_care_working_days", "Children’s social care decides within", 5),  # noqa: RUF001
    ("referral_early_help_working_days", "Early help responds within", 40),
    ("referral_police_working_days", "The police respond within", 20),
    ("referral_camhs_working_days", "CAMHS triages within", 60),
    ("referral_lado_working_days", "The LADO responds within", 5),
    ("referral_other_working_days", "Other agencies respond within", 60),
)


def _referral_response_times() -> Iterator[Setting]:
    for field, label, maximum in REFERRAL_RESPONSE_TIMES:
        yield _field(
            SafeguardingSettings,
            field,
            group=SAFEGUARDING,
            label=label,
            policy="§3.4 DSL follow-up",
            minimum=1,
            maximum=maximum,
            unit=WORKING_DAYS,
        )


REGISTRY: tuple[Setting, ...] = (
    _field(
        CaseSettings, "max_time_limit_school_days", group=CASES, label="Longest time limit",
        policy="§2 time limit", minimum=1, maximum=190, unit=DAYS,
    ),
    _field(
        CaseSettings, "review_interval_school_days", group=CASES, label="Review interval",
        policy="§2 regular review", minimum=1, maximum=60, unit=DAYS,
    ),
    _field(
        CaseSettings, "agreement_grace_school_days", group=CASES,
        label="Time to gather agreements", policy="§2 mutual agreement", minimum=1,
        maximum=20, unit=DAYS,
    ),
    _field(
        CaseSettings, "time_limit_warning_school_days", group=CASES,
        label="Time limit warning", policy="§2 time limit", minimum=1, maximum=20, unit=DAYS,
    ),
    _field(
        ContactSettings, "available_from", group=CONTACT, label="Teachers available from",
        policy="§3.1 availability", minimum=datetime.time(7, 0),
        maximum=datetime.time(18, 0), before="available_until",
    ),
    _field(
        ContactSettings, "available_until", group=CONTACT, label="Teachers available until",
        policy="§3.1 availability", minimum=datetime.time(7, 0),
        maximum=datetime.time(18, 0),
        help="When teachers providing remote learning are available until (section 3.1).",
    ),
    _field(
        ContactSettings, "no_response_school_days", group=CONTACT,
        label="Days without reaching the family", policy="§3.2 home visits", minimum=1,
        maximum=10, unit=DAYS,
    ),
    _field(
        ContactSettings, "no_response_attempts", group=CONTACT,
        label="Failed attempts to reach the family", policy="§3.2 home visits", minimum=1,
        maximum=10, unit="attempts",
    ),
    _field(
        ContactSettings, "family_report_counts_as_contact", group=CONTACT,
        label="A family’s own report counts as the daily contact",  # noqa: RUF001
        policy="§3.6 parents",
    ),
    _field(
        ContactSettings, "complaint_response_school_days", group=CONTACT,
        label="Respond to a family’s complaint within",  # noqa: RUF001
        policy="§3.6 parents", minimum=1, maximum=40, unit=DAYS,
    ),
    _field(
        SafeguardingSettings, "acknowledge_within_minutes", group=SAFEGUARDING,
        label="Acknowledge an immediate concern within", policy="§3.4 DSL follow-up",
        minimum=5, maximum=120, unit="minutes on the clock",
    ),
    _field(
        SafeguardingSettings, "acknowledge_high_within_school_minutes", group=SAFEGUARDING,
        label="Acknowledge a high concern within", policy="§3.4 DSL follow-up", minimum=30,
        maximum=780, unit=SCHOOL_MINUTES,
    ),
    _field(
        SafeguardingSettings, "acknowledge_routine_within_school_minutes", group=SAFEGUARDING,
        label="Acknowledge a routine concern within", policy="§3.4 DSL follow-up", minimum=30,
        maximum=1950, unit=SCHOOL_MINUTES,
    ),
    _field(
        SafeguardingSettings, "school_day_starts", group=SAFEGUARDING,
        label="School day starts", policy="§3.4 DSL follow-up",
        minimum=datetime.time(7, 0), maximum=datetime.time(18, 0), before="school_day_ends",
    ),
    _field(
        SafeguardingSettings, "school_day_ends", group=SAFEGUARDING,
        label="School day ends", policy="§3.4 DSL follow-up",
        minimum=datetime.time(7, 0), maximum=datetime.time(18, 0),
    ),
    _field(
        SafeguardingSettings, "long_absence_school_days", group=SAFEGUARDING,
        label="Longer absence", policy="§3.2 longer absences", minimum=1, maximum=60,
        unit=DAYS,
    ),
    _field(
        SafeguardingSettings, "max_session_minutes", group=SAFEGUARDING,
        label="Longest virtual session", policy="Appendix 1 sessions", minimum=10,
        maximum=120, unit="minutes",
    ),
    *_referral_response_times(),
    _field(
        SafeguardingSettings, "referral_chase_interval_working_days", group=SAFEGUARDING,
        label="Chase a referral again after", policy="§3.4 DSL follow-up", minimum=1,
        maximum=20, unit=WORKING_DAYS,
    ),
    *_retention_rules(),
    *_attendance_codes(),
)  # fmt: skip

SETTINGS: dict[str, Setting] = {setting.key: setting for setting in REGISTRY}


def _codes_set_by_regulation() -> str:
    return " ".join(
        f"A closure because “{Reason(reason).label}” is coded {class_code} for a class "
        f"and {site_code} for a whole site, as the 2024 attendance regulations set them: there "
        "is no code to choose."
        for reason, (class_code, site_code) in CLOSURE_CODES_SET_BY_REGULATION.items()
    )


# What a group's settings do not say for themselves, shown under its heading.
GROUP_NOTES: dict[str, str] = {ATTENDANCE: _codes_set_by_regulation()}


def grouped() -> list[tuple[str, list[Setting]]]:
    return [(group, [s for s in REGISTRY if s.group == group]) for group in GROUPS]


def models_in_registry() -> list[type[models.Model]]:
    """The owning models, each once, in the registry's order."""
    return list(dict.fromkeys(setting.model for setting in REGISTRY))
