"""Who may see and attach a concern's documents: exactly who may read and act on the concern
(its site's DSL team and the headteacher). The reporter, who sees the receipt only, gets 403."""

from core.actor import Actor
from dataprotection.refusals import refuse
from safeguarding.models import ConcernDocument
from safeguarding.permissions import access_concern

CONCERN_DOCUMENT_SUBJECT = ConcernDocument._meta.label_lower


def access_concern_document(actor: Actor, pk: int) -> ConcernDocument:
    """The document, for whoever may read its concern; audited 404 for a document that does
    not exist, the concern's gate (404 or 403, audited) for everyone else."""
    document = (
        ConcernDocument.objects.select_related("concern")
        .filter(pk=pk, removed_at__isnull=True)
        .first()
    )
    if document is None:
        refuse(
            actor,
            subject_type=CONCERN_DOCUMENT_SUBJECT,
            subject_id=pk,
            detail="no such document",
        )
    access_concern(actor, document.concern_id)
    return document
