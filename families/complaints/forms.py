from django import forms

from core.forms import ModelChoiceField
from families.models import COMPLAINT_TEXT_LIMIT, RESPONSE_TEXT_LIMIT, ComplaintResponse


class ComplaintResponseForm(forms.Form):
    text = forms.CharField(
        label="The school's response",
        max_length=RESPONSE_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was said to the family, by whom and how (letter, meeting, telephone).",
    )
    corrects = ModelChoiceField(
        label="This corrects an earlier response",
        queryset=ComplaintResponse.objects.none(),
        required=False,
        help_text="Responses are kept as written: a correction is added, never an edit.",
    )

    def __init__(self, *args: object, complaint: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["corrects"].queryset = ComplaintResponse.objects.filter(complaint=complaint)
        self.fields["corrects"].label_from_instance = lambda r: (
            f"Response of {r.responded_at:%d/%m/%Y %H:%M}"
        )


class ComplaintForm(forms.Form):
    """What a parent or carer writes, on the carers' portal."""

    about_safety = forms.TypedChoiceField(
        label="Is this a worry about a child's safety?",
        choices=[(False, "No, it is a complaint or concern about something else"), (True, "Yes")],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this is about a child's safety."},
    )
    text = forms.CharField(
        label="What would you like to tell us?",
        max_length=COMPLAINT_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Tell us what your complaint or worry is about."},
    )
