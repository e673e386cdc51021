"""A leaver's sealed child-protection file: one zip of the chronology PDF (drawn by the
printable chronology's render), the records as JSON, and a manifest giving the SHA-256 digest
of each; the digest of the whole zip is kept with the transfer. Reading a bundle back checks
every digest, so a changed byte anywhere is refused."""

import datetime
import hashlib
import io
import json
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.dates import EARLIEST_DATE
from core.pdf import render_pdf
from safeguarding.chronology.services import chronology_print_context
from safeguarding.models import ChronologyPrint, Concern
from safeguarding.selectors import ANOTHER_PUPIL, named_in_concerns_of
from schools.calendar import today
from schools.models import Pupil

FORMAT = "child-protection-file/1"
PDF_NAME = "chronology.pdf"
RECORDS_NAME = "records.json"
MANIFEST_NAME = "manifest.json"
PARTS = (PDF_NAME, RECORDS_NAME)
# Of a record, never exported: the storage's own names and the outbox's workings.
LEFT_OUT = {"storage_name", "concern", "referral"}
CONCERN_PARTS = {
    "actions": "actions",
    "decisions": "decisions",
    "referrals": "referrals",
    "addenda": "addenda",
    "body_marks": "body_marks",
    "documents": "documents",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _person(user: Any) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "email", "")) if user else ""


def _value(record: models.Model, field: models.Field) -> Any:
    if field.is_relation:
        related = getattr(record, field.name)
        if field.related_model is settings.AUTH_USER_MODEL or (
            field.related_model._meta.label == settings.AUTH_USER_MODEL
        ):
            return _person(related)
        return str(related) if related is not None else None
    value = getattr(record, field.attname)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def record_dict(record: models.Model) -> dict[str, Any]:
    """Every field of a record, people by name and other records by their label."""
    return {
        field.name: _value(record, field)
        for field in record._meta.concrete_fields
        if field.name not in LEFT_OUT
    }


def _named_in_concerns(pupil: Pupil) -> list[dict[str, Any]]:
    """Each concern about another pupil that names this one, as the chronology shows it: what
    kind of concern, and who named the pupil, when and why. The other child's name and the
    account are that child's file, not this one's."""
    return [
        {
            "about": ANOTHER_PUPIL,
            "raised_at": named.raised_at.isoformat(),
            "category": named.category,
            "urgency": named.urgency,
            "status": named.status,
            "named_by": _person(named.named_by),
            "named_at": named.named_at.isoformat(),
            "named_when_raised": named.named_when_raised,
            "why": named.why,
        }
        for named in named_in_concerns_of(pupil)
    ]


def records_of(pupil: Pupil) -> dict[str, Any]:
    """The pupil and every concern about them, each with what hangs from it, and the concerns
    about other pupils that name them."""
    concerns = (
        Concern.objects.filter(pupil=pupil)
        .select_related("category", "raised_by", "owner", "acknowledged_by", "closed_by")
        .prefetch_related(
            "actions__who",
            "actions__recorded_by",
            "decisions__decided_by",
            "referrals__made_by",
            "referrals__responses__recorded_by",
            "referrals__chases__chased_by",
            "addenda__added_by",
            "body_marks__recorded_by",
            "documents__attached_by",
        )
        .order_by("raised_at", "pk")
    )
    exported = []
    for concern in concerns:
        entry = record_dict(concern)
        for key, related in CONCERN_PARTS.items():
            entry[key] = [record_dict(r) for r in getattr(concern, related).all()]
        for referral, row in zip(concern.referrals.all(), entry["referrals"], strict=True):
            row["responses"] = [record_dict(r) for r in referral.responses.all()]
            row["chases"] = [record_dict(r) for r in referral.chases.all()]
        exported.append(entry)
    return {
        "pupil": {
            "upn": pupil.upn,
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "preferred_name": pupil.preferred_name,
            "date_of_birth": pupil.date_of_birth.isoformat(),
        },
        "concerns": exported,
        "named_in_concerns": _named_in_concerns(pupil),
    }


def chronology_pdf(pupil: Pupil, *, by: Any) -> bytes:
    """The whole chronology, full version, drawn as the printable chronology draws it; a
    concern about another pupil that names this one never names that pupil."""
    whole = ChronologyPrint(
        pupil=pupil, requested_by=by, start=EARLIEST_DATE, end=today(), for_sharing=False
    )
    made = chronology_print_context(whole, now=timezone.now(), name_others=False)
    return render_pdf("safeguarding/pdf/chronology.html", made["context"])


def bundle_make(pupil: Pupil, *, by: Any) -> tuple[bytes, dict[str, str]]:
    """The zip and the digests of its parts."""
    parts = {
        PDF_NAME: chronology_pdf(pupil, by=by),
        RECORDS_NAME: json.dumps(records_of(pupil), indent=1, sort_keys=True).encode(),
    }
    digests = {name: sha256(data) for name, data in parts.items()}
    manifest = {
        "format": FORMAT,
        "from_school": pupil.school.name,
        "from_school_urn": pupil.school.urn,
        "made_at": timezone.now().isoformat(),
        "parts": digests,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in parts.items():
            bundle.writestr(name, data)
        bundle.writestr(MANIFEST_NAME, json.dumps(manifest, indent=1, sort_keys=True))
    return buffer.getvalue(), digests


# --- Reading a received bundle ------------------------------------------------------------------

NOT_A_BUNDLE = "This is not a child-protection file from this service (a zip with a manifest)."
CHANGED = (
    "This file has been changed since it was sealed: a part's SHA-256 does not match. "
    "Ask the sending school to send it again."
)
WRONG_DIGEST = "The file's SHA-256 is not the one given: check it against the receiving page."


def bundle_read(data: bytes, *, digest: str) -> dict[str, Any]:
    """The manifest and the records of a bundle whose digests all match; ValidationError at
    ``digest`` or ``bundle`` otherwise."""
    if sha256(data) != digest.strip().lower():
        raise ValidationError({"digest": WRONG_DIGEST})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            manifest = json.loads(bundle.read(MANIFEST_NAME))
            parts = {name: bundle.read(name) for name in PARTS}
            records = json.loads(parts[RECORDS_NAME])
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as bad:
        raise ValidationError({"bundle": NOT_A_BUNDLE}) from bad
    listed = manifest.get("parts") if isinstance(manifest, dict) else None
    if manifest.get("format") != FORMAT or not isinstance(listed, dict):
        raise ValidationError({"bundle": NOT_A_BUNDLE})
    if any(listed.get(name) != sha256(part) for name, part in parts.items()):
        raise ValidationError({"bundle": CHANGED})
    return {"manifest": manifest, "records": records}
