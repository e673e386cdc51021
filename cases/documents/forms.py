from django import forms

from cases.models import Agreement, Case
from core.documents import DocumentKind, max_upload_help
from core.forms import ModelChoiceField


class CaseDocumentForm(forms.Form):
    kind = forms.ChoiceField(label="What it is", choices=DocumentKind.choices)
    agreement = ModelChoiceField(
        queryset=Agreement.objects.none(),
        required=False,
        empty_label="The case itself",
        label="Attached to",
        help_text="An agreement, if the document belongs to one (for example signed consent).",
    )
    file = forms.FileField(
        label="File",
        allow_empty_file=True,
        error_messages={"required": "Choose the file to attach."},
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.filter(case=case)
        self.fields["file"].help_text = max_upload_help()
