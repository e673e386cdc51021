from django.utils import timezone

from core.documents import DocumentForm
from core.forms import ModelChoiceField
from safeguarding.models import Concern, Referral


class ConcernDocumentForm(DocumentForm):
    referral = ModelChoiceField(
        queryset=Referral.objects.none(),
        required=False,
        empty_label="The concern itself",
        label="Attached to",
        help_text="A referral, if the document belongs to one (for example the form sent).",
    )
    field_order = ["kind", "referral", "file"]

    def __init__(self, *args, concern: Concern, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = Referral.objects.filter(concern=concern)
        self.fields["referral"].label_from_instance = _referral_label


def _referral_label(referral: Referral) -> str:
    reference = f", {referral.reference}" if referral.reference else ""
    return f"{referral} ({timezone.localtime(referral.made_at):%d/%m/%Y}{reference})"
