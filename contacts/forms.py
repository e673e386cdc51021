"""Forms for logging a contact and for the DSL team's contact plan.

Lengths are checked here so that a message appears at the field; the rules about dates and
cases are the service's (contacts.services.contact_log_record), shown at the same fields.
"""

import uuid

from django import forms

from contacts.models import Channel, ContactKind, Outcome
from contacts.permissions import staff_for_wellbeing_check
from contacts.services import (
    CHANGES_NEED_A_REASON,
    MORE_CALLS_NEED_A_REASON,
    NOT_STAFF_FOR_THE_CHECK,
)
from core.forms import ModelChoiceField

NOTES_MAX = 2000

# The outcome buttons: each one submits the form (tap 2 of at most three).
OUTCOME_BUTTONS = (
    (Outcome.SPOKE_WITH_PUPIL, "Spoke with pupil"),
    (Outcome.SPOKE_WITH_CARER, "Spoke with carer"),
    (Outcome.MESSAGE_LEFT, "Left message"),
    (Outcome.NO_RESPONSE, "No response"),
)
# Short labels: the form fits a phone held upright.
KIND_CHOICES = (
    (ContactKind.DAILY, "Daily contact"),
    (ContactKind.WELLBEING, "Wellbeing"),
    (ContactKind.OTHER, "Other"),
)
WELL_CHOICES = (("", "Not known"), ("yes", "Yes"), ("no", "No"))
WEEKDAYS = (("0", "Mon"), ("1", "Tue"), ("2", "Wed"), ("3", "Thu"), ("4", "Fri"))


def _to_well(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ContactLogForm(forms.Form):
    submission_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form has expired: open it again.",
            "invalid": "This form has expired: open it again.",
        },
    )
    channel = forms.ChoiceField(label="How", choices=Channel.choices)
    kind = forms.ChoiceField(label="What", choices=KIND_CHOICES)
    outcome = forms.ChoiceField(
        choices=Outcome.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose what happened.",
            "invalid_choice": "Choose what happened.",
        },
    )
    pupil_well = forms.TypedChoiceField(
        label="Pupil well and able to work",
        choices=WELL_CHOICES,
        coerce=_to_well,
        empty_value=None,
        required=False,
    )
    wellbeing_notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Keep the notes to 2000 characters (%(show_value)d now)."},
    )
    work_feedback = forms.CharField(
        label="What the family said about the work",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Keep the feedback to 2000 characters (%(show_value)d now)."},
    )
    contacted_at = forms.DateTimeField(
        label="When, if not now",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Enter a date and time, for example 03/12/2026 10:30."},
    )

    late_reason = forms.CharField(
        label="Why it is logged late",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the contact was more than two school days before today: a "
        "contact on Monday can be logged until Wednesday, and from Thursday it needs a reason. "
        "Weekends, bank holidays and INSET days are not counted.",
        error_messages={"max_length": "Keep the reason to 1000 characters (%(show_value)d now)."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # One key per form shown: submitting this form twice records one contact.
            self.initial.setdefault("submission_key", uuid.uuid4())

    @property
    def outcome_buttons(self) -> tuple[tuple[str, str], ...]:
        return OUTCOME_BUTTONS


class ContactPlanForm(forms.Form):
    extra_calls_per_day = forms.IntegerField(
        label="Extra telephone calls a day",
        min_value=0,
        max_value=5,
        initial=0,
        help_text="Beyond the daily contact. 0 means the daily contact only.",
        error_messages={
            "min_value": "Enter 0 to 5 calls.",
            "max_value": "Enter 0 to 5 calls.",
            "required": "Enter 0 to 5 calls.",
            "invalid": "Enter 0 to 5 calls.",
        },
    )
    extra_call_weekdays = forms.MultipleChoiceField(
        label="On",
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every school day.",
    )
    decided_reason = forms.CharField(
        label="Why the DSL team decided this",
        required=False,
        max_length=NOTES_MAX,
        help_text="Needed for every change: the plan keeps each decision with who made it, when "
        "and why.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Keep the reason to 2000 characters (%(show_value)d now)."},
    )

    wellbeing_check_by = ModelChoiceField(
        label="Weekly wellbeing check by",
        queryset=None,
        required=False,
        empty_label="The class teacher",
        help_text="The teacher, or another member of staff who contacts families (section 3.2). "
        "They see the pupil on Today and log the check.",
        error_messages={"invalid_choice": NOT_STAFF_FOR_THE_CHECK},
    )

    def __init__(self, *args: object, school_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wellbeing_check_by"].queryset = staff_for_wellbeing_check(school_id)
        self.fields["wellbeing_check_by"].label_from_instance = lambda user: (
            user.full_name or user.email
        )

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("decided_reason") or "").strip() and "decided_reason" not in self.errors:
            more_calls = bool(data.get("extra_calls_per_day"))
            self.add_error(
                "decided_reason", MORE_CALLS_NEED_A_REASON if more_calls else CHANGES_NEED_A_REASON
            )
        return data

    @property
    def weekdays_value(self) -> str:
        return ",".join(sorted(self.cleaned_data.get("extra_call_weekdays") or []))
