"""Forms for closures, the class overview, today's provision and the attendance export.

Dates are typed the UK way (DD/MM/YYYY); ISO dates (from a date picker) are accepted too.
"""

import datetime

from django import forms
from django.db.models import QuerySet

from cases.models import CLOSURE_REASONS, InternetAccess, Reason, Wellbeing
from core.dates import UkDateField
from core.forms import ModelChoiceField
from schools.models import SchoolClass, Site


def one_year_after(day: datetime.date) -> datetime.date:
    """The same date a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _check_range(form: forms.Form, start_field: str, end_field: str, before_start: str) -> None:
    """End on or after start, and less than a year after it; errors at the end field."""
    start = form.cleaned_data.get(start_field)
    end = form.cleaned_data.get(end_field)
    if start is None or end is None:
        return
    if end < start:
        form.add_error(end_field, before_start)
    elif end >= one_year_after(start):
        form.add_error(
            end_field,
            f"Choose less than a year: the date must be before {one_year_after(start):%d/%m/%Y}.",
        )


# --- Closing a site or a class ---------------------------------------------------------------

SITE_PREFIX = "site-"
CLASS_PREFIX = "class-"


class ClosureForm(forms.Form):
    closing = forms.ChoiceField(
        label="What is closing",
        help_text="A whole site, or one class. Only the sites and classes you lead are listed.",
        error_messages={
            "required": "Choose the site or class that is closing.",
            "invalid_choice": "Choose a site or class from the list.",
        },
    )
    reason = forms.ChoiceField(
        choices=[(reason.value, reason.label) for reason in Reason if reason in CLOSURE_REASONS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why it is closing."},
    )
    start_date = UkDateField(label="First day of remote education", help_text="DD/MM/YYYY")
    end_date = UkDateField(
        label="Time limit",
        help_text="DD/MM/YYYY: the date by which pupils should be back in school.",
    )

    def __init__(
        self,
        *args: object,
        sites: QuerySet[Site],
        classes: QuerySet[SchoolClass],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sites = {site.pk: site for site in sites}
        self.classes = {school_class.pk: school_class for school_class in classes}
        choices: list = [("", "Choose…")]
        if self.sites:
            choices.append(
                (
                    "Whole site",
                    [
                        (f"{SITE_PREFIX}{pk}", f"{site.name} (whole site)")
                        for pk, site in self.sites.items()
                    ],
                )
            )
        if self.classes:
            choices.append(
                (
                    "One class",
                    [
                        (f"{CLASS_PREFIX}{pk}", f"{school_class.name} ({school_class.site.name})")
                        for pk, school_class in self.classes.items()
                    ],
                )
            )
        self.fields["closing"].choices = choices

    @property
    def has_targets(self) -> bool:
        return bool(self.sites or self.classes)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        closing = cleaned.get("closing") or ""
        cleaned["site"] = cleaned["school_class"] = None
        if closing.startswith(SITE_PREFIX):
            cleaned["site"] = self.sites.get(int(closing.removeprefix(SITE_PREFIX)))
        elif closing.startswith(CLASS_PREFIX):
            cleaned["school_class"] = self.classes.get(int(closing.removeprefix(CLASS_PREFIX)))
        _check_range(
            self, "start_date", "end_date", "The time limit cannot be before the first day."
        )
        return cleaned

    @property
    def school(self):
        site, school_class = self.cleaned_data["site"], self.cleaned_data["school_class"]
        return site.school if site is not None else school_class.site.school


# --- The class overview ----------------------------------------------------------------------


class ClosureCheckForm(forms.Form):
    wellbeing = forms.ChoiceField(
        label="Wellbeing",
        choices=Wellbeing.choices,
        error_messages={"invalid_choice": "Choose how the pupil is from the list."},
    )
    internet_access = forms.ChoiceField(
        label="Internet access",
        choices=InternetAccess.choices,
        error_messages={"invalid_choice": "Choose the pupil's internet access from the list."},
    )


class PaperDeliveryForm(forms.Form):
    delivered_on = UkDateField(label="Delivered on", help_text="DD/MM/YYYY")
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=300,
        help_text="For example what was delivered, or who took it.",
    )

    def clean_notes(self) -> str:
        return self.cleaned_data["notes"].strip()


# --- Today's provision -----------------------------------------------------------------------

PROVISION_FLAGS = (
    "sent_by_email",
    "sent_as_work_pack",
    "sent_to_platform",
    "visual_timetable_sent",
    "resources_signposted",
)


class ProvisionForm(forms.Form):
    sent_by_email = forms.BooleanField(label="Emailed planning", required=False)
    sent_as_work_pack = forms.BooleanField(label="Work pack", required=False)
    sent_to_platform = forms.BooleanField(label="Uploaded to platform", required=False)
    visual_timetable_sent = forms.BooleanField(label="Visual timetable", required=False)
    resources_signposted = forms.BooleanField(label="Resources signposted", required=False)
    feedback = forms.CharField(
        label="Feedback from home",
        required=False,
        max_length=2000,
        widget=forms.TextInput,
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        feedback = (cleaned.get("feedback") or "").strip()
        cleaned["feedback"] = feedback
        if not feedback and not any(cleaned.get(name) for name in PROVISION_FLAGS):
            raise forms.ValidationError(
                "Tick what was provided today, or write the family's feedback.",
                code="empty",
            )
        return cleaned


# --- Attendance export -----------------------------------------------------------------------


class AttendanceExportForm(forms.Form):
    date_from = UkDateField(label="From", help_text="DD/MM/YYYY")
    date_to = UkDateField(label="To", help_text="DD/MM/YYYY, included; less than a year on")
    site = ModelChoiceField(
        queryset=Site.objects.none(),
        required=False,
        empty_label="All the sites you lead",
        error_messages={"invalid_choice": "Choose a site from the list."},
    )

    def __init__(self, *args: object, sites: QuerySet[Site], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        _check_range(self, "date_from", "date_to", "The To date cannot be before the From date.")
        return cleaned
