"""Forms for the breach register and retention reviews. They check shape only; the services
decide."""

from django import forms

from core.forms import ModelChoiceField
from dpo.models import TEXT_LIMIT, BreachDecision

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _text(label: str, *, required: bool = True, rows: int = 4, help_text: str = "") -> forms.Field:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        strip=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: str, *, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class BreachForm(forms.Form):
    school = ModelChoiceField(queryset=None, empty_label="Choose the school")
    what_happened = _text(
        "What happened",
        rows=6,
        help_text="Describe the incident, for example an email sent to the wrong family.",
    )
    discovered_at = forms.DateTimeField(
        label="When it was discovered",
        input_formats=DATETIME_FORMATS,
        help_text="UK time. The 72 hours to tell the ICO start here.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    data_affected = _text(
        "What data",
        help_text="The kinds of personal data, for example names and home addresses.",
    )
    people_affected = forms.IntegerField(
        label="Roughly how many people",
        required=False,
        min_value=0,
        max_value=10_000_000,
        help_text="An estimate is fine. Leave blank if nobody knows yet.",
    )
    containment = _text(
        "Containment so far",
        required=False,
        help_text="What has been done to stop it or limit the harm.",
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        only = list(schools[:2]) if schools is not None else []
        if len(only) == 1:
            # Most people work at one school: do not ask.
            self.fields["school"].initial = only[0].pk
            self.fields["school"].widget = forms.HiddenInput()


class AssessmentForm(forms.Form):
    assessment = _text(
        "Risk assessment",
        help_text="The likely risk to people's rights and freedoms, and why.",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Reportable to the ICO?", choices=BreachDecision.choices, widget=forms.RadioSelect
    )
    reason = _text("The reason", help_text="Recorded whichever way the decision goes.")


class IcoReportForm(forms.Form):
    reported_on = _date("Reported on")
    ico_reference = forms.CharField(label="ICO reference", max_length=100)
    notes = _text("Notes", required=False, rows=2)


class SubjectsToldForm(forms.Form):
    told = forms.TypedChoiceField(
        label="Have the people affected been told?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    notes = _text("How, or why not", rows=2)


class CloseForm(forms.Form):
    lessons = _text("Lessons learned", help_text="What will change so it does not happen again.")


class KeepForm(forms.Form):
    reason = forms.CharField(
        label="Why keep it",
        max_length=2000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_again_on = _date("Review again on", help_text="It comes back to this list then.")
