"""Forms for raising and triaging concerns. They check shape only; the services decide."""

from django import forms

from core.forms import ModelChoiceField, ModelMultipleChoiceField
from safeguarding.models import TEXT_LIMIT, Agency, ConcernCategory, InformedHow, Urgency
from schools.models import Pupil

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]


def _text(
    label: str, *, required: bool = True, rows: int = 4, help_text: str = "", missing: str = ""
) -> forms.Field:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        strip=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing} if missing else None,
    )


class ConcernForm(forms.Form):
    pupil = forms.IntegerField(widget=forms.HiddenInput)
    contact = forms.IntegerField(widget=forms.HiddenInput, required=False)
    session = forms.IntegerField(widget=forms.HiddenInput, required=False)
    category = ModelChoiceField(
        queryset=ConcernCategory.objects.none(), empty_label="Choose a category"
    )
    urgency = forms.ChoiceField(choices=Urgency.choices, widget=forms.RadioSelect)
    what_happened = _text("What happened", rows=6)
    childs_words = _text(
        "The child's own words",
        required=False,
        help_text="Write exactly what the child said, if they said anything.",
    )
    happened_at = forms.DateTimeField(
        label="When it happened",
        required=False,
        input_formats=DATETIME_FORMATS,
        help_text="Leave blank for now.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    where = forms.CharField(label="Where", required=False, max_length=300)
    others_told = forms.CharField(label="Who else has been told", required=False, max_length=500)
    other_pupils = ModelMultipleChoiceField(
        label="Other pupils involved",
        required=False,
        queryset=Pupil.objects.none(),
        help_text="Optional. Any other pupil of the school this is also about (a sibling, "
        "a friend): the concern is then in their safeguarding chronology too. Hold Ctrl (or "
        "Command) to choose more than one.",
        error_messages={"invalid_choice": "Name only pupils of this pupil's school."},
    )

    def __init__(self, *args, categories=(), pupils=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ConcernCategory.objects.filter(
            pk__in=[category.pk for category in categories]
        )
        if pupils is not None:
            self.fields["other_pupils"].queryset = pupils
            self.fields["other_pupils"].widget.attrs["size"] = 6
        else:
            del self.fields["other_pupils"]


class NamedPupilForm(forms.Form):
    pupil = ModelChoiceField(
        label="Pupil",
        queryset=Pupil.objects.none(),
        empty_label="Choose the pupil",
        error_messages={"invalid_choice": "Name only pupils of this pupil's school."},
    )
    reason = _text(
        "Why they are named",
        rows=2,
        help_text="For example: was with the pupil at the time, or is a sibling who was also "
        "at home.",
        missing="Write why this pupil is named in the concern.",
    )

    def __init__(self, *args, pupils=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils


class AssignForm(forms.Form):
    owner = ModelChoiceField(queryset=None, empty_label="Choose who owns it")

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class ActionForm(forms.Form):
    what = forms.CharField(label="What is to be done", max_length=500, strip=False)
    who = ModelChoiceField(label="Who", queryset=None, empty_label="Choose who")
    due_on = forms.DateField(
        label="By when",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].queryset = owners


class DecisionForm(forms.Form):
    decision = _text("Discussion or decision")
    reason = _text("The reason")


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ReferralForm(forms.Form):
    agency = forms.ChoiceField(choices=[("", "Choose the agency"), *Agency.choices])
    referred_on = _date(
        "Date of the referral",
        required=False,
        help_text="Leave blank for today. The response expected from the agency is counted "
        "in working days from this date, as set on the school's safeguarding settings.",
    )
    reference = forms.CharField(
        label="Their reference",
        required=False,
        max_length=100,
        help_text="The agency's reference for the referral, if they gave one.",
    )
    notes = _text("Notes", required=False, rows=3)


class ReferralResponseForm(forms.Form):
    responded_on = _date("Date of the response")
    responded_by = forms.CharField(
        label="Who responded",
        max_length=200,
        strip=False,
        help_text="Their name and role, for example: duty social worker, MASH.",
    )
    what_they_said = _text("What they said", rows=3)
    outcome = forms.CharField(
        label="Outcome",
        max_length=300,
        strip=False,
        help_text="For example: assessment under section 17, section 47 enquiry, stepped "
        "down to early help, no further action.",
    )
    corrects = forms.TypedChoiceField(
        label="This corrects",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Leave as it is for a new response. A correction is kept as a new entry; "
        "the response it corrects stays on the record.",
    )

    def __init__(self, *args, responses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.responses = {response.pk: response for response in responses}
        self.fields["corrects"].choices = [
            ("", "Nothing: this is a new response"),
            *(
                (pk, f"The response of {response.responded_on:%d/%m/%Y}: {response.outcome}")
                for pk, response in self.responses.items()
            ),
        ]
        if not self.responses:
            del self.fields["corrects"]

    def clean_corrects(self):
        pk = self.cleaned_data.get("corrects")
        return self.responses.get(pk) if pk is not None else None


class ReferralChaseForm(forms.Form):
    chased_on = _date("Date of the chase")
    how = forms.ChoiceField(label="How", choices=[("", "Choose how"), *InformedHow.choices])
    spoke_to = forms.CharField(
        label="Who was contacted",
        max_length=200,
        strip=False,
        help_text="The person or team at the agency, for example: MASH duty desk.",
    )
    what_was_said = _text("What was said", rows=3)


class AddendumForm(forms.Form):
    text = _text("Correction or addition")


class CloseForm(forms.Form):
    outcome = _text(
        "Decision",
        rows=2,
        help_text="What was decided, for example: no further action, or referred to "
        "children's social care.",
        missing="Write the decision the concern is closed with (for example: no further action).",
    )
    reason = _text(
        "Why",
        help_text="The reason for this decision. For no further action, say why nothing more "
        "is needed.",
        missing="Write why the concern is being closed with this decision: a concern is not "
        "closed without its reason.",
    )
