"""Forms for virtual sessions. They check shape only; services_sessions decides."""

from django import forms

from core.forms import ModelChoiceField, ModelMultipleChoiceField
from safeguarding.models import ChecklistItem

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
DONE_CHOICES = [("yes", "Done"), ("no", "Not done")]


class SessionPlanForm(forms.Form):
    title = forms.CharField(label="What the session is", max_length=200)
    date = forms.DateField(
        input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label="Starts at",
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    end_time = forms.TimeField(
        label="Ends at", input_formats=TIME_FORMATS, widget=forms.TimeInput(attrs={"type": "time"})
    )
    pupils = ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Invitations go to each pupil's school email address only.",
    )
    staff = ModelMultipleChoiceField(
        label="Staff present",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="At least two members of staff working at the pupils' school or site.",
    )
    meeting_link = forms.URLField(
        label="Teams meeting link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Shown only to the staff present.",
    )
    pre_recorded = forms.BooleanField(
        label="Fewer than two staff are available: record a pre-recorded lesson instead",
        required=False,
    )

    def __init__(self, *args, pupils=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].queryset = pupils
        self.fields["staff"].queryset = staff
        self.fields["pupils"].label_from_instance = lambda pupil: pupil.display_name
        self.fields["staff"].label_from_instance = lambda user: user.full_name or user.email


class AgreementForm(forms.Form):
    agreed_with = forms.CharField(label="Agreed with (parent or carer)", max_length=150)
    agreed_on = forms.DateField(
        label="Agreed on",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    no_recordings = forms.BooleanField(label="No recordings will be made", required=False)
    confidentiality = forms.BooleanField(
        label="Content, password and invitation codes are confidential", required=False
    )
    parent_present = forms.BooleanField(label="A parent or carer will be present", required=False)
    independent_access_agreed = forms.BooleanField(
        label="Independent access was discussed and agreed with school", required=False
    )
    independent_access_agreed_by = forms.CharField(
        label="Who agreed independent access", required=False, max_length=200
    )
    dress_and_language = forms.BooleanField(label="Appropriate dress and language", required=False)
    expectations_known = forms.BooleanField(
        label="The family knows the pupil expectations", required=False
    )
    household_not_seen_or_heard = forms.BooleanField(
        label="Other members of the household will not be seen or heard",
        required=False,
        help_text="Only the pupil, and the parent or carer present with them, join the session.",
    )


class ChecklistForm(forms.Form):
    attended = ModelMultipleChoiceField(
        label="Who attended",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, pupils=None, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in ChecklistItem.choices:
            self.fields[value] = forms.ChoiceField(
                label=label, choices=DONE_CHOICES, widget=forms.RadioSelect, required=False
            )
            self.fields[f"{value}_reason"] = forms.CharField(
                label="Reason, if not done", required=False, max_length=500
            )
        self.fields["attended"].queryset = pupils
        self.fields["attended"].label_from_instance = lambda pupil: pupil.display_name
        self.order_fields([*(f for v in ChecklistItem.values for f in (v, f"{v}_reason"))])

    def answers(self) -> dict[str, tuple[bool | None, str]]:
        data = self.cleaned_data
        return {
            item: (
                {"yes": True, "no": False}.get(data.get(item) or ""),
                data.get(f"{item}_reason", ""),
            )
            for item in ChecklistItem.values
        }


class StopForm(forms.Form):
    pupil = ModelChoiceField(
        label="The pupil the concern is about", queryset=None, empty_label="Choose the pupil"
    )

    def __init__(self, *args, pupils=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["pupil"].label_from_instance = lambda pupil: pupil.display_name
