"""Attaching documents to a concern or one of its referrals."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.actor import Actor
from core.documents import clean_file_name, document_check, storing
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
    content_type = document_check(file)
    with storing(file) as storage_name:
        document = ConcernDocument(
            concern=concern,
            referral=referral,
            kind=kind,
            original_name=clean_file_name(file.name),
            content_type=content_type,
            size=file.size,
            storage_name=storage_name,
            attached_by=actor.user,
        )
        document.full_clean()
        document.save()
        access_record(
            action=AccessAction.CREATE,
            actor=actor,
            subject=document,
            pupil_id=concern.pupil_id,
            detail=f"document attached to concern {concern.pk}",
        )
    return document
