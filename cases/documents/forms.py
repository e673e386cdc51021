from cases.models import Agreement, Case
from core.documents import DocumentForm
from core.forms import ModelChoiceField


class CaseDocumentForm(DocumentForm):
    agreement = ModelChoiceField(
        queryset=Agreement.objects.none(),
        required=False,
        empty_label="The case itself",
        label="Attached to",
        help_text="An agreement, if the document belongs to one (for example signed consent).",
    )
    field_order = ["kind", "agreement", "file"]

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.filter(case=case)
