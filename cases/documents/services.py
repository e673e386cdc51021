"""Attaching documents to a case, and deleting them with the case under retention."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cases.models import Agreement, Case, CaseDocument
from core.actor import Actor
from core.documents import delete_stored, stored_document
from dataprotection.models import AccessAction
from dataprotection.services import access_record

CASE_ENDED = "This case is closed: it takes no more documents."


@transaction.atomic
def case_document_attach(
    *,
    actor: Actor,
    case: Case,
    file: UploadedFile | None,
    kind: str,
    agreement: Agreement | None = None,
) -> CaseDocument:
    """Attach a document to an open case (or one of its agreements). A replacement is a new
    document: nothing attached before is changed."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(CASE_ENDED)
    if agreement is not None and agreement.case_id != case.pk:
        raise ValidationError({"agreement": "Choose one of this case's agreements."})
    with stored_document(
        CaseDocument, file, attached_by=actor.user, case=case, agreement=agreement, kind=kind
    ) as document:
        access_record(
            action=AccessAction.CREATE,
            actor=actor,
            subject=document,
            pupil_id=case.pupil_id,
            detail=f"document attached to case {case.pk}",
        )
    return document


def case_documents_delete(*, case: Case, name_left: str) -> int:
    """Retention: delete the files of the case's documents once the transaction commits (so
    a rolled-back anonymisation keeps them), keeping each row with its kind, dates and who
    attached it, its name replaced by ``name_left``. Returns how many."""
    documents = CaseDocument.objects.filter(case=case, removed_at__isnull=True)
    names = list(documents.values_list("storage_name", flat=True))
    count = documents.update(original_name=name_left, removed_at=timezone.now())
    transaction.on_commit(lambda: delete_stored(names))
    return count
