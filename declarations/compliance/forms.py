"""The form IT staff close a declaration task with."""

from django import forms

from declarations.models import DeclarationIssue


class ResolveForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        max_length=DeclarationIssue._meta.get_field("resolution_note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For the record, for example: encryption turned on, checked in person.",
        error_messages={"required": "Say what was done, for the record."},
    )
