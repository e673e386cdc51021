"""Forms for the DSL dashboard, home visits and longer absences. Thin: fields and widgets;
the services check the policy's rules."""

from django import forms

from accounts.models import User
from core.forms import ModelChoiceField, ModelMultipleChoiceField
from safeguarding.models import InformedHow, InvolvementKind, Urgency
from safeguarding.permissions import session_staff
from safeguarding.visits.services import Agreement
from schools.models import Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DashboardFilterForm(forms.Form):
    site = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    urgency = forms.ChoiceField(required=False)

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", "All my sites")] + [
            (site.pk, site.name) for site in sites
        ]
        self.fields["urgency"].choices = [("", "Any urgency"), *Urgency.choices]


class VisitRequestForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Why a visit is needed: who has been tried, and when.",
    )
    planned_for = forms.DateField(required=False, widget=DATE, label="Planned for (if known)")


class VisitAgreeForm(forms.Form):
    which = forms.ChoiceField(
        choices=[(Agreement.SLT, "SLT agrees"), (Agreement.DSL, "The DSL agrees")],
        widget=forms.HiddenInput,
    )


class VisitRecordForm(forms.Form):
    visited_on = forms.DateField(widget=DATE)
    staff = ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="At least two members of staff attend every home visit: staff working at "
        "the pupil's school or site (not governors or the data protection officer).",
        required=False,
    )
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)

    def __init__(self, *args, pupil, **kwargs):
        super().__init__(*args, **kwargs)
        # The same people who may be staff present at the pupil's virtual sessions.
        self.fields["staff"].queryset = session_staff(pupil.school_id, [pupil.school_class.site_id])


class SocialWorkerInformedForm(forms.Form):
    informed_on = forms.DateField(widget=DATE)
    how = forms.ChoiceField(choices=InformedHow.choices)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class InvolvementForm(forms.Form):
    kind = forms.ChoiceField(choices=InvolvementKind.choices)
    worker = ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="The family support worker (for family support only).",
    )
    started_on = forms.DateField(widget=DATE)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = (
            User.objects.filter(
                is_active=True,
                memberships__school_id=school_id,
                memberships__role=Role.FAMILY_SUPPORT,
            )
            .distinct()
            .order_by("full_name", "email")
        )


class InvolvementEndForm(forms.Form):
    ended_on = forms.DateField(widget=DATE)
