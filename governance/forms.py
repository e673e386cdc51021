"""Governance forms. They check shape only; governance.services decides."""

from django import forms

from core.forms import ModelChoiceField
from governance.models import Coping, MonitoringKind, ReviewReason, Workload

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def scope_choices(schools, sites, classes) -> list[tuple[str, str]]:
    """A monitoring scope as one choice: the whole school, a site or a class."""
    choices = [(f"school:{school.pk}", f"Whole school: {school.name}") for school in schools]
    choices += [(f"site:{site.pk}", f"Site: {site.name}") for site in sites]
    choices += [
        (f"class:{school_class.pk}", f"Class: {school_class.name} ({school_class.site.name})")
        for school_class in classes
    ]
    return choices


class MonitoringForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of monitoring", choices=MonitoringKind.choices)
    held_on = forms.DateField(
        label="Date held",
        input_formats=DATE_FORMATS,
        widget=_date_input(),
        help_text="The day it took place (not in the future).",
    )
    scope = forms.ChoiceField(
        label="What it covered", help_text="Only the school, site or classes you oversee."
    )
    participants = forms.CharField(
        label="Who took part",
        max_length=300,
        help_text="Roles or staff names, for example: SLT lead, two class teachers. "
        "No pupils' names.",
    )
    focus = forms.CharField(max_length=200, help_text="In a few words: what it looked at.")
    findings = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text="What was found. Fixed once saved: you can add a correction note later.",
    )

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [("", "Choose…"), *scopes]


class MonitoringFilterForm(forms.Form):
    is_filter = True

    scope = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *MonitoringKind.choices])

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [("", "Any scope"), *scopes]


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label="Correction or addition",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        help_text="Added below the findings with your name and the time; the findings stay.",
    )


class FollowUpForm(forms.Form):
    action = forms.CharField(max_length=500, help_text="What will be done.")
    owner = ModelChoiceField(queryset=None, help_text="The member of staff who will do it.")
    due_on = forms.DateField(
        label="Due by", required=False, input_formats=DATE_FORMATS, widget=_date_input()
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff
        self.fields["owner"].label_from_instance = lambda user: user.full_name or user.email


class PolicyDocumentForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="For example: Remote learning policy.")


class PolicyVersionForm(forms.Form):
    label = forms.CharField(
        label="Version", max_length=30, help_text="For example: 2026.1 or September 2026."
    )
    reason = forms.ChoiceField(label="Why it was reviewed", choices=ReviewReason.choices)
    reason_note = forms.CharField(
        label="Reason, if other", max_length=300, required=False, help_text="Needed for Other."
    )
    summary = forms.CharField(
        label="Summary of changes",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        help_text="What changed since the last version.",
    )
    text = forms.CharField(
        label="Policy text",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="The policy itself, or leave empty and give a reference below.",
    )
    reference = forms.CharField(
        max_length=300,
        required=False,
        help_text="Where the document is kept (for example a file name or web address).",
    )


class PulseForm(forms.Form):
    school = forms.TypedChoiceField(
        coerce=int, help_text="The school you are answering about.", required=True
    )
    coping = forms.TypedChoiceField(
        label="How are you coping this week?",
        coerce=int,
        choices=Coping.choices,
        widget=forms.RadioSelect,
    )
    workload = forms.ChoiceField(
        label="Your workload this week (optional)",
        required=False,
        choices=[("", "Rather not say"), *Workload.choices],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(school.pk, school.name) for school in schools]
        if len(self.fields["school"].choices) == 1:
            self.fields["school"].initial = schools[0].pk
            self.fields["school"].widget = forms.HiddenInput()
