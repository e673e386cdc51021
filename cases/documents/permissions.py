"""Who may see and attach a case's documents: exactly who may read and work on the case."""

from cases.models import CaseDocument
from cases.permissions import access_case
from core.actor import Actor
from dataprotection.refusals import refuse

CASE_DOCUMENT_SUBJECT = CaseDocument._meta.label_lower


def access_case_document(actor: Actor, pk: int) -> CaseDocument:
    """The document, for whoever may read its case; 404 (audited) for everyone else, for a
    document that does not exist and for one whose file retention has deleted."""
    document = (
        CaseDocument.objects.select_related("case").filter(pk=pk, removed_at__isnull=True).first()
    )
    if document is None:
        refuse(
            actor,
            subject_type=CASE_DOCUMENT_SUBJECT,
            subject_id=pk,
            detail="no such document",
        )
    access_case(actor, document.case_id)
    return document
