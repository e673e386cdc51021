"""Forms for the IT support pages. They parse and check the shape of input; the rules live in
itsupport.services, which reports breaches at the same field names."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import ModelChoiceField
from itsupport.models import (
    AssistanceKind,
    DeviceLoan,
    LoanKind,
    NeedKind,
    RequestKind,
    ReturnCondition,
    System,
    Urgency,
)
from itsupport.selectors import LoanFilter, NeedFilter, RequestFilter
from schools.models import Pupil, School

# Browsers send ISO dates from a date picker; people typing (or older browsers) use UK dates.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def date_field(*, label: str, required: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, for example 27/03/2027."},
        **kwargs,
    )


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PupilChoiceField(ModelChoiceField):
    """Only the pupils the person may see are offered; any other id is refused at the field."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("queryset", Pupil.objects.none())
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": "Choose one of your pupils from the list."},
        )
        super().__init__(**kwargs)

    def label_from_instance(self, pupil: Pupil) -> str:
        name = pupil.preferred_name or pupil.first_name
        return f"{pupil.last_name}, {name} ({pupil.school_class.name})"


class FilterForm(forms.Form):
    is_filter = True


class RequestFilterForm(FilterForm):
    show = forms.ChoiceField(choices=RequestFilter.CHOICES, required=False)


class LoanFilterForm(FilterForm):
    show = forms.ChoiceField(choices=LoanFilter.CHOICES, required=False)


class NeedFilterForm(FilterForm):
    show = forms.ChoiceField(choices=NeedFilter.CHOICES, required=False)


class RequestForm(forms.Form):
    school = ModelChoiceField(queryset=School.objects.none(), empty_label=None)
    kind = forms.ChoiceField(
        label="What is this",
        choices=RequestKind.choices,
        initial=RequestKind.ISSUE,
        widget=forms.RadioSelect,
    )
    system = forms.ChoiceField(
        label="Which system",
        choices=[("", "Choose the system"), *System.choices],
        error_messages={"required": "Choose the system the issue is with."},
    )
    urgency = forms.ChoiceField(choices=Urgency.choices, initial=Urgency.NORMAL)
    description = forms.CharField(
        label="What is happening",
        max_length=2000,
        widget=_text(4),
        help_text="What you tried to do, what happened, and any error message. No passwords.",
        error_messages={"required": "Describe the issue or the help needed."},
    )
    pupil = PupilChoiceField(
        required=False,
        empty_label="No particular pupil",
        label="Pupil or family affected",
        help_text="Only your own pupils are listed.",
    )
    help_given = forms.CharField(
        label="Help you have already given",
        required=False,
        max_length=2000,
        widget=_text(3),
        help_text="For help to a parent or carer you have already given: it is recorded as done.",
    )

    def __init__(self, *args, schools: list[School], pupils, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        field.queryset = School.objects.filter(pk__in=[school.pk for school in schools])
        if len(schools) == 1:
            field.initial = schools[0].pk
            field.widget = forms.HiddenInput()
        self.fields["pupil"].queryset = pupils.select_related("school_class")


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note",
        max_length=2000,
        widget=_text(3),
        error_messages={"required": "Write the note before adding it."},
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="What was done",
        max_length=2000,
        widget=_text(3),
        help_text="So the next person with the same issue knows the fix.",
        error_messages={"required": "Say what was done."},
    )


class LoanForm(forms.Form):
    pupil = PupilChoiceField(empty_label="Choose a pupil")
    kind = forms.ChoiceField(label="Device", choices=[("", "Choose the device"), *LoanKind.choices])
    asset_tag = forms.CharField(
        label="Asset tag or serial number",
        max_length=64,
        help_text="As printed on the device or SIM.",
    )
    lent_on = date_field(label="Lent on")
    expected_back = date_field(label="Expected back")
    notes = forms.CharField(required=False, max_length=500, widget=_text(2))

    def __init__(self, *args, pupils, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils.select_related("school_class")

    def clean(self) -> dict:
        data = super().clean()
        lent_on, back = data.get("lent_on"), data.get("expected_back")
        if lent_on and back and back < lent_on:
            self.add_error("expected_back", "The expected return date is before the loan starts.")
        return data


class ReturnForm(forms.Form):
    returned_on = date_field(label="Returned on")
    condition = forms.ChoiceField(
        label="Condition", choices=[("", "Choose the condition"), *ReturnCondition.choices]
    )
    notes = forms.CharField(required=False, max_length=500, widget=_text(2))


class AssistanceForm(forms.Form):
    pupil = PupilChoiceField(empty_label="Choose a pupil")
    kind = forms.ChoiceField(
        label="Help given", choices=[("", "Choose the help"), *AssistanceKind.choices]
    )
    given_on = date_field(label="Given on")
    notes = forms.CharField(
        max_length=2000, widget=_text(3), help_text="What was done, and what is left to do."
    )

    def __init__(self, *args, pupils, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils.select_related("school_class")


class NeedForm(forms.Form):
    pupil = PupilChoiceField(empty_label="Choose a pupil")
    need = forms.ChoiceField(
        label="The pupil needs", choices=[("", "Choose what is needed"), *NeedKind.choices]
    )
    notes = forms.CharField(
        required=False,
        max_length=500,
        widget=_text(2),
        help_text="For example: shares one phone with siblings; no broadband at home.",
    )

    def __init__(self, *args, pupils, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils.select_related("school_class")


class LoanChoiceField(ModelChoiceField):
    def label_from_instance(self, loan: DeviceLoan) -> str:
        return f"{loan.get_kind_display()} {loan.asset_tag}, lent {loan.lent_on:%d/%m/%Y}"


class MeetNeedForm(forms.Form):
    met_on = date_field(label="Met on")
    loan = LoanChoiceField(
        queryset=DeviceLoan.objects.none(),
        required=False,
        empty_label="Not by a loan",
        label="Met by this loan",
    )
    how = forms.CharField(
        label="How it was met",
        required=False,
        max_length=500,
        widget=_text(2),
        help_text="For example: paper copies delivered weekly; family's own broadband working.",
    )

    def __init__(self, *args, loans, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["loan"].queryset = loans

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and data.get("loan") is None and not data.get("how", "").strip():
            raise ValidationError("Choose the loan that met the need, or say how it was met.")
        return data
