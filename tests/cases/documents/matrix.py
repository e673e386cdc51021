"""Permission matrix rows for a case's documents: those who work on the case attach them, the
DSL who reads it downloads them (403 to attach), everyone else is told neither exists."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import CaseDocument
from core.documents import DocumentKind, new_storage_name
from tests.cases.matrix import READS_THE_CASE, WORKS_ON_THE_CASE, open_case_for
from tests.matrix import Rule
from tests.world import World

PDF = b"%PDF-1.7\n%%EOF\n"


def document_for(world: World) -> CaseDocument:
    """A document on the pupil's open case, stored as an attached one would be."""
    from django.core.files.storage import storages

    case = open_case_for(world)
    document = CaseDocument.objects.filter(case=case).first()
    if document is None:
        name = storages["documents"].save(new_storage_name(), SimpleUploadedFile("x", PDF))
        document = CaseDocument.objects.create(
            case=case,
            kind=DocumentKind.CONSENT_LETTER,
            original_name="Consent letter.pdf",
            content_type="application/pdf",
            size=len(PDF),
            storage_name=name,
            attached_by=world.users["teacher"],
        )
    return document


ROWS = {
    # The form, for those who work on the case; posting is the case's own POST rule.
    "cases:case_document_attach": Rule(
        allowed=WORKS_ON_THE_CASE,
        forbidden=READS_THE_CASE,
        args=lambda world: [open_case_for(world).pk],
    ),
    "cases:case_document_download": Rule(
        allowed=WORKS_ON_THE_CASE | READS_THE_CASE,
        args=lambda world: [document_for(world).pk],
    ),
}
