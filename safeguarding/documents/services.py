"""Attaching documents to a concern or one of its referrals."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.actor import Actor
from core.documents import stored_document
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.models import Concern, ConcernDocument, Referral


@transaction.atomic
def concern_document_attach(
    *,
    actor: Actor,
    concern: Concern,
    file: UploadedFile | None,
    kind: str,
    referral: Referral | None = None,
) -> ConcernDocument:
    """Attach a document to a concern (or one of its referrals). A closed concern takes
    documents as it takes addenda: they add to the record and change nothing in it. A
    replacement is a new document; nothing attached before is changed."""
    if referral is not None and referral.concern_id != concern.pk:
        raise ValidationError({"referral": "Choose one of this concern's referrals."})
    with stored_document(
        ConcernDocument,
        file,
        attached_by=actor.user,
        concern=concern,
        referral=referral,
        kind=kind,
    ) as document:
        access_record(
            action=AccessAction.CREATE,
            actor=actor,
            subject=document,
            pupil_id=concern.pupil_id,
            detail=f"document attached to concern {concern.pk}",
        )
    return document
