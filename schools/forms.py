from django import forms

from core.forms import ModelChoiceField
from schools.models import Pathway, SchoolClass, Site
from schools.selectors import classes_visible_to, pathways_visible_to, sites_visible_to

NAME_SEARCH_MAX_LENGTH = 100


class PupilFilterForm(forms.Form):
    """Filters for the pupil list. Posted, not put in the address: a pupil's name typed into
    the search box must not end up in browser history or server logs."""

    name = forms.CharField(
        label="Name",
        required=False,
        max_length=NAME_SEARCH_MAX_LENGTH,
        help_text="Part of a first, last or preferred name.",
    )
    site = ModelChoiceField(queryset=Site.objects.none(), required=False, empty_label="All")
    school_class = ModelChoiceField(
        label="Class", queryset=SchoolClass.objects.none(), required=False, empty_label="All"
    )
    pathway = ModelChoiceField(queryset=Pathway.objects.none(), required=False, empty_label="All")
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    is_filter = True  # every field is optional; the template need not say so

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_visible_to(user).order_by("name")
        self.fields["school_class"].queryset = classes_visible_to(user)
        self.fields["pathway"].queryset = pathways_visible_to(user).order_by("name")

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class ShareForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("grant", "Involve"), ("revoke", "Stop involving")])
