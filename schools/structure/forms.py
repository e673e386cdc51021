from django import forms

from core.forms import ModelChoiceField
from schools.models import Pathway, Phase, School, Site

NAME_HELP = "As staff know it; unique within the school, ignoring capitals."


class SchoolNewForm(forms.Form):
    urn = forms.CharField(label="URN", max_length=6, help_text="The school's six-digit URN.")
    name = forms.CharField(max_length=200, label="School name")
    local_authority = forms.CharField(max_length=120, label="Local authority")
    full_name = forms.CharField(
        max_length=150, label="First account's name", help_text="As colleagues know them."
    )
    email = forms.CharField(
        max_length=254,
        label="First account's email",
        help_text="They sign in with it and a one-time password, then set up two-step "
        "verification.",
    )
    as_administrator = forms.TypedChoiceField(
        label="First account is",
        choices=[("", "The headteacher"), ("yes", "An administrator")],
        coerce=bool,
        required=False,
        empty_value=False,
    )


class SchoolForm(forms.Form):
    name = forms.CharField(max_length=200, label="School name")
    local_authority = forms.CharField(max_length=120, label="Local authority")
    safeguarding_partnership_name = forms.CharField(
        max_length=200,
        label="Safeguarding partnership",
        help_text="The local safeguarding children partnership families are pointed to.",
    )
    safeguarding_partnership_url = forms.URLField(
        required=False,
        label="Safeguarding partnership web page",
        help_text="Where families read how to report a concern.",
    )


class SiteForm(forms.Form):
    name = forms.CharField(max_length=120, required=False, label="Site name", help_text=NAME_HELP)


class PathwayForm(forms.Form):
    name = forms.CharField(
        max_length=120, required=False, label="Pathway name", help_text=NAME_HELP
    )
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ClassForm(forms.Form):
    name = forms.CharField(
        max_length=60, required=False, label="Class name", help_text="Unique within its site."
    )
    phase = forms.ChoiceField(choices=Phase.choices)
    pathway = ModelChoiceField(
        queryset=Pathway.objects.none(), required=False, empty_label="No pathway"
    )

    def __init__(self, *args: object, school: School, keep: Pathway | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Pathways in use, and the class's own even if it has since been archived.
        pathways = Pathway.objects.filter(school=school)
        current = pathways.current()
        if keep is not None:
            current = current | pathways.filter(pk=keep.pk)
        self.fields["pathway"].queryset = current.order_by("name")


class ClassNewForm(ClassForm):
    site = ModelChoiceField(queryset=Site.objects.none(), empty_label="Choose a site", label="Site")
    field_order = ["site", "name", "phase", "pathway"]

    def __init__(self, *args: object, school: School, **kwargs):
        super().__init__(*args, school=school, **kwargs)
        self.fields["site"].queryset = Site.objects.current().filter(school=school)


class ArchiveForm(forms.Form):
    archive = forms.BooleanField(
        label="Yes, archive it",
        help_text="It is hidden from new work; its history stays readable. Nothing is deleted.",
        error_messages={"required": "Tick the box to confirm."},
    )


class RestoreForm(forms.Form):
    """Restoring is one button: nothing to fill in, only a refusal to show."""
