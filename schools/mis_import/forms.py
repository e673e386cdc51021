from django import forms

from core.forms import ModelChoiceField
from schools.mis_import.reading import max_bytes, too_large_reason
from schools.models import MisImportKind, School


class MisImportForm(forms.Form):
    school = ModelChoiceField(queryset=School.objects.all(), empty_label=None)
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=MisImportKind.choices,
        help_text="For a new school, import classes first, then staff, pupils and carers.",
    )
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label="Dry run: check the file and show what would change, without saving anything",
        required=False,
        initial=True,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        limit = max_bytes() / 1024 / 1024
        self.fields["file"].help_text = (
            f"Exported from your MIS as CSV, UTF-8, up to {limit:.0f} MB. "
            "The columns are listed below."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refuse by the size the browser sent, before reading the file into memory.
        if upload.size > max_bytes():
            raise forms.ValidationError(too_large_reason(upload.size).capitalize())
        return upload
