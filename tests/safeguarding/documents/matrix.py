"""Permission matrix rows for a concern's documents: the DSL of the pupil's site and the
headteacher attach and download them; the reporter, who sees the receipt only, gets 403;
everyone else is told neither exists."""

from django.core.files.uploadedfile import SimpleUploadedFile

from core.documents import DocumentKind, new_storage_name
from safeguarding.models import ConcernDocument
from tests.matrix import Rule
from tests.safeguarding.matrix_concerns import REPORTER, TRIAGES, concern_for
from tests.world import World

PDF = b"%PDF-1.7\n%%EOF\n"


def document_for(world: World) -> ConcernDocument:
    from django.core.files.storage import storages

    name = storages["documents"].save(new_storage_name(), SimpleUploadedFile("x", PDF))
    return ConcernDocument.objects.create(
        concern=concern_for(world),
        kind=DocumentKind.REFERRAL_FORM,
        original_name="Referral form.pdf",
        content_type="application/pdf",
        size=len(PDF),
        storage_name=name,
        attached_by=world.users["dsl"],
    )


ROWS = {
    "safeguarding:concern_document_attach": Rule(
        allowed=TRIAGES, forbidden=REPORTER, args=lambda world: [concern_for(world).pk]
    ),
    "safeguarding:concern_document_download": Rule(
        allowed=TRIAGES, forbidden=REPORTER, args=lambda world: [document_for(world).pk]
    ),
}
