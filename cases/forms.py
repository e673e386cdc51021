"""Forms for the case pages. They parse and check the shape of input; the policy's rules live
in cases.services, which reports breaches at the same field names."""

from django import forms
from django.core.exceptions import ValidationError

from cases.models import (
    INDIVIDUAL_REASONS,
    AgreementMethod,
    Decision,
    Party,
    Reason,
    Status,
)
from cases.selectors import STATUS_ANY, STATUS_OPEN
from cases.services import BEHAVIOUR_REFUSAL
from core.forms import ModelChoiceField
from core.links import web_links_validator
from schools.models import Pupil, SchoolClass, Site

# Browsers send ISO dates from a date picker; people typing (or older browsers) use UK dates.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
BEHAVIOUR = "behaviour"


def date_field(*, label: str | None = None, required: bool = True, **kwargs) -> forms.DateField:
    messages = {"invalid": "Enter a real date, for example 27/03/2027."}
    messages |= kwargs.pop("error_messages", {})
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=messages,
        **kwargs,
    )


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PupilChoiceField(ModelChoiceField):
    def label_from_instance(self, pupil: Pupil) -> str:
        return (
            f"{pupil.last_name}, {pupil.preferred_name or pupil.first_name} ({pupil.school_class})"
        )


class CaseProposeForm(forms.Form):
    pupil = PupilChoiceField(
        queryset=Pupil.objects.none(),
        empty_label="Choose a pupil",
        error_messages={"required": "Choose the pupil this case is for."},
    )
    reason = forms.ChoiceField(
        label="Why the pupil cannot attend",
        choices=[
            ("", "Choose a reason"),
            *[(value, label) for value, label in Reason.choices if value in INDIVIDUAL_REASONS],
            (BEHAVIOUR, "Sent home because of behaviour"),
        ],
        error_messages={"required": "Choose the reason from the policy."},
    )
    start_date = date_field(label="Start date")
    end_date = date_field(
        label="Time limit",
        error_messages={"required": "Give the date by which the pupil should be back in school."},
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=2000,
        widget=_text(),
        help_text="Why remote education, in a sentence or two. No medical detail is needed.",
    )
    medical_agreement_not_needed = forms.CharField(
        label="Why a medical professional's agreement is not appropriate",
        required=False,
        max_length=500,
        widget=_text(2),
        help_text=(
            "For illness, an operation or an injury a relevant medical professional agrees too. "
            "Only if that is not appropriate, say why here."
        ),
    )

    health_professional_should_agree = forms.TypedChoiceField(
        label="Should a health professional agree?",
        required=False,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda answer: answer == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=(
            "Needed for SEND or a mental health issue: whether a health professional, for "
            "example CAMHS, should agree too. If yes, remote education starts once they have."
        ),
    )

    def __init__(self, *args, pupils, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils

    def explain_time_limit(self, max_days: int) -> None:
        self.fields["end_date"].help_text = (
            "The date by which the pupil should be back in school, at most "
            f"{max_days} school days after the start. It can only be extended at a review."
        )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if reason == BEHAVIOUR:
            raise ValidationError(BEHAVIOUR_REFUSAL, code="behaviour")
        return reason


class AgreementForm(forms.Form):
    party = forms.ChoiceField(
        label="Who agreed",
        choices=[("", "Choose a party"), *Party.choices],
        error_messages={"required": "Choose whose agreement this is."},
    )
    agreed_by = forms.CharField(
        label="Name and role",
        max_length=200,
        help_text="For example 'Dana Marsh, mother' or 'Dr Hale, GP'.",
        error_messages={"required": "Say who agreed, with their role."},
    )
    agreed_on = date_field(label="Date agreed")
    method = forms.ChoiceField(
        label="How",
        choices=[("", "Choose how")]
        + [c for c in AgreementMethod.choices if c[0] != AgreementMethod.FAMILY_PORTAL],
    )
    notes = forms.CharField(required=False, max_length=2000, widget=_text(2))


class ActivateForm(forms.Form):
    """No fields: starting a case is one button. Errors from the service show on it."""


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why the proposal is withdrawn",
        max_length=300,
        widget=_text(2),
        help_text="For example 'The operation was moved to the summer holidays'.",
        error_messages={"required": "Say why the proposal is withdrawn."},
    )


class ProvisionForm(forms.Form):
    date = date_field(label="School day", help_text="The day the work was for.")
    sent_by_email = forms.BooleanField(
        label="Daily planning and activities emailed", required=False
    )
    sent_as_work_pack = forms.BooleanField(label="Work pack sent home", required=False)
    sent_to_platform = forms.BooleanField(
        label="Uploaded to the home learning platform", required=False
    )
    visual_timetable_sent = forms.BooleanField(label="Visual timetable sent", required=False)
    resources_signposted = forms.BooleanField(
        label="Online learning resources signposted", required=False
    )
    feedback = forms.CharField(
        label="Feedback from home",
        required=False,
        max_length=2000,
        widget=_text(2),
        help_text="How the pupil or family found the work.",
    )
    work_links = forms.CharField(
        label="Links to the work",
        required=False,
        max_length=2000,
        widget=_text(2),
        validators=[web_links_validator],
        help_text="Web addresses the family can open from their week, one a line, each "
        "starting https://.",
    )

    PROVIDED = (
        "sent_by_email",
        "sent_as_work_pack",
        "sent_to_platform",
        "visual_timetable_sent",
        "resources_signposted",
        "feedback",
        "work_links",
    )

    def clean(self) -> dict:
        data = super().clean()
        if not any(data.get(name) for name in self.PROVIDED):
            raise ValidationError(
                "Tick what was provided, or write the feedback from home.", code="empty"
            )
        return data


class ReviewForm(forms.Form):
    held_on = date_field(label="Date of the review")
    attendees = forms.CharField(
        label="Who attended",
        max_length=500,
        help_text="Names and roles, for example 'Dana Marsh (mother), Ms Reed (teacher)'.",
        error_messages={"required": "Say who attended the review."},
    )
    progress = forms.CharField(
        label="Progress",
        max_length=4000,
        widget=_text(),
        error_messages={"required": "Say how remote education is going."},
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("", "Choose the decision"), *Decision.choices],
        error_messages={"required": "Choose what was decided."},
    )
    new_end_date = date_field(
        label="New time limit", required=False, help_text="Only when extending the time limit."
    )
    next_review_date = date_field(
        label="Next review",
        required=False,
        help_text=(
            "Needed when remote education continues or is extended. When beginning "
            "reintegration, leave empty for the school's usual interval. Not needed when closing."
        ),
    )
    outcome = forms.CharField(
        label="Outcome",
        required=False,
        max_length=2000,
        widget=_text(2),
        help_text="Only when closing: how the case ended.",
    )
    actual_return_date = date_field(
        label="Date the pupil returned to school",
        required=False,
        help_text="Only when closing.",
    )


class ReintegrationPlanForm(forms.Form):
    support = forms.CharField(
        label="Support for the return",
        max_length=4000,
        widget=_text(),
        error_messages={"required": "Say what support is in place for the return."},
    )
    flexibilities = forms.CharField(
        label="Flexibilities",
        required=False,
        max_length=4000,
        widget=_text(2),
        help_text="For example a part-time timetable at first, or a quiet space.",
    )
    why = forms.CharField(
        label="Why the plan changes",
        required=False,
        max_length=300,
        help_text="Needed when changing a plan already written. The earlier version is kept.",
    )


class ReintegrationStepForm(forms.Form):
    description = forms.CharField(
        label="Step",
        max_length=300,
        help_text="For example 'Mornings in class, with lunch at home'.",
        error_messages={"required": "Describe the step."},
    )
    target_date = date_field(label="By")


class StepDoneForm(forms.Form):
    done_on = date_field(label="Done on")


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome",
        max_length=2000,
        widget=_text(),
        help_text="How the case ended, for example back full time with a reduced timetable.",
        error_messages={"required": "Say how the case ended."},
    )
    actual_return_date = date_field(
        label="Date the pupil returned to school",
        error_messages={"required": "Give the date the pupil returned to school."},
    )


class CaseFilterForm(forms.Form):
    """Filters for the case list: ids and choice values only, so nothing personal reaches
    the address bar."""

    status = forms.ChoiceField(
        required=False,
        choices=[(STATUS_OPEN, "Open cases"), *Status.choices, (STATUS_ANY, "Any status")],
    )
    site = ModelChoiceField(queryset=Site.objects.none(), required=False, empty_label="All")
    school_class = ModelChoiceField(
        label="Class", queryset=SchoolClass.objects.none(), required=False, empty_label="All"
    )
    reason = forms.ChoiceField(required=False, choices=[("", "All"), *Reason.choices])
    review_due = forms.BooleanField(label="Review due", required=False)
    review_this_week = forms.BooleanField(label="Review due this week", required=False)
    time_limit_near = forms.BooleanField(label="Time limit near", required=False)

    FILTERS = (
        "status",
        "site",
        "school_class",
        "reason",
        "review_due",
        "review_this_week",
        "time_limit_near",
    )
    is_filter = True  # every field is optional: the field template leaves out "(optional)"

    def __init__(self, *args, sites, classes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["school_class"].queryset = classes

    def audit_detail(self) -> str:
        """The filters used, for the access audit: ids and choice values only."""
        parts = []
        for name in self.FILTERS:
            value = self.cleaned_data.get(name)
            if value in (None, "", False):
                continue
            parts.append(f"{name}={getattr(value, 'pk', value)}")
        return " ".join(parts) or "no filters"
