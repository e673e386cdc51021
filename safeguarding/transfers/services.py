"""Recording a pupil's leaving, and the transfer task it raises.

KCSIE asks the DSL to send a leaver's child-protection file to the new school within 5 school
days (``safeguarding.rules.TRANSFER_SCHOOL_DAYS``): recording the leaving takes the pupil off
roll and raises the DSL team's flag at once; the daily rule (``flag_transfers_due``) keeps the
flags true.
"""

import datetime
import hashlib
import hmac
import logging
import secrets
import traceback

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.actor import Actor
from core.documents import max_bytes, storing
from core.links import site_url
from core.queue import enqueue_on_commit
from core.tasks import outbox_nudge
from dataprotection.models import AccessAction
from dataprotection.refusals import refusal_record
from dataprotection.services import access_record
from safeguarding.models import (
    FileTransfer,
    PrintStatus,
    PupilLeaving,
    TransferFlag,
    TransferLinkEmail,
    TransferredFile,
)
from safeguarding.rules import TRANSFER_SCHOOL_DAYS
from safeguarding.transfers.bundle import bundle_make, bundle_read, sha256
from schools.calendar import add_school_days
from schools.models import Pupil

logger = logging.getLogger(__name__)


@transaction.atomic
def pupil_leaving_record(
    *,
    actor: Actor,
    pupil: Pupil,
    left_on: datetime.date,
    new_school_name: str,
    new_school_urn: str,
    new_dsl_name: str,
    new_dsl_email: str,
) -> PupilLeaving:
    """Record that the pupil leaves for another school: off roll, and a transfer flag due on
    the 5th school day after their last day. Refused for a pupil already off roll."""
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if not pupil.on_roll:
        raise ValidationError({"left_on": "This pupil is already off roll."})
    leaving = PupilLeaving(
        pupil=pupil,
        left_on=left_on,
        new_school_name=new_school_name.strip(),
        new_school_urn=new_school_urn.strip(),
        new_dsl_name=new_dsl_name.strip(),
        new_dsl_email=new_dsl_email.strip(),
        recorded_by=actor.user,
    )
    leaving.full_clean(exclude=["pupil", "recorded_by"])
    leaving.save()
    pupil.on_roll = False
    pupil.save(update_fields=["on_roll"])
    TransferFlag.objects.create(
        leaving=leaving, due_on=add_school_days(pupil.school, left_on, TRANSFER_SCHOOL_DAYS)
    )
    access_record(
        action=AccessAction.CHANGE,
        actor=actor,
        subject=leaving,
        pupil_id=pupil.pk,
        detail="pupil leaving recorded; off roll",
    )
    return leaving


# --- Sending the file ---------------------------------------------------------------------------

LINK_DAYS = 14
CODE_LENGTH = 8
# No 0/O, 1/I/L: the code is read out over the phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
NO_LEAVING = "Record the pupil's leaving and their new school first."
ALREADY_RECEIVED = "The new school has already confirmed receipt of this file."


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def code_digest(transfer_token_hash: str, code: str) -> str:
    """The code's digest, keyed by the service's secret and the link, so a leaked table does
    not give the codes away (a code is short; its link locks after a few wrong tries)."""
    return salted_hmac(
        "file-transfer-code", f"{transfer_token_hash}:{code.upper()}", algorithm="sha256"
    ).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def file_transfer_send(*, actor: Actor, pupil: Pupil) -> tuple[FileTransfer, str]:
    """Record the transfer and hand the sealing of the pupil's file to a Celery worker
    (``file_transfer_seal``); its email to the receiving DSL is written now and held until
    the bundle is sealed. Returns the transfer and the code for the sending DSL to give by
    phone (kept only as a digest). Earlier links still open stop working."""
    leaving = PupilLeaving.objects.filter(pupil=pupil).select_related("flag").first()
    if leaving is None:
        raise ValidationError(NO_LEAVING)
    if leaving.transfers.filter(received_at__isnull=False).exists():
        raise ValidationError(ALREADY_RECEIVED)
    # One live link at a time: a file sent again ends the earlier links still open.
    now = timezone.now()
    leaving.transfers.filter(
        received_at__isnull=True, locked_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    token, code = secrets.token_urlsafe(32), new_code()
    transfer = FileTransfer(
        leaving=leaving,
        made_by=actor.user,
        sent_to_name=leaving.new_dsl_name,
        sent_to_email=leaving.new_dsl_email,
        status=PrintStatus.QUEUED,
        token_hash=token_digest(token),
        code_hash=code_digest(token_digest(token), code),
        expires_at=now + datetime.timedelta(days=LINK_DAYS),
    )
    transfer.full_clean(exclude=["leaving", "made_by"])
    transfer.save()
    # Held (no time to try it) until the bundle is sealed.
    TransferLinkEmail.objects.create(
        transfer=transfer,
        link=site_url(reverse("file_transfer:receive", args=[token])),
        next_attempt_at=None,
    )
    access_record(
        action=AccessAction.SHARE,
        actor=actor,
        subject=transfer,
        pupil_id=pupil.pk,
        detail="child-protection file to be sealed and sent to the new school",
    )
    _enqueue_seal(transfer.pk)
    return transfer, code


def _enqueue_seal(transfer_id: int) -> None:
    enqueue_on_commit("safeguarding.seal_file_transfer", transfer_id)


SEAL_FAILED = "The file could not be prepared. Send it again; if it fails again, tell IT."
SEAL_STOPPED = "Preparing the file stopped before it finished. Send it again."
# A queued transfer older than this lost its task (broker down): the sweep sends it again.
SEAL_LOST_AFTER = datetime.timedelta(minutes=5)
SEAL_STUCK_AFTER = datetime.timedelta(hours=1)


def file_transfer_seal(*, transfer_id: int) -> FileTransfer | None:
    """Seal one queued transfer's bundle, store it and release its email. Idempotent: a
    transfer already taken, sealed or failed is left alone, so a task delivered twice does
    nothing the second time. A bundle that cannot be made marks the transfer failed and
    removes its email (the link never goes); the stored bundle is removed again if anything
    after storing it fails."""
    claimed = FileTransfer.objects.filter(pk=transfer_id, status=PrintStatus.QUEUED).update(
        status=PrintStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    transfer = FileTransfer.objects.select_related("leaving__pupil__school", "made_by").get(
        pk=transfer_id
    )
    pupil = transfer.leaving.pupil
    try:
        data, digests = bundle_make(pupil, by=transfer.made_by)
    except Exception as exc:
        # The message may quote a child's record: log the type and the place only.
        where = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("File transfer %s failed: %s\n%s", transfer_id, type(exc).__name__, where)
        _seal_failed(transfer_id, SEAL_FAILED)
        return FileTransfer.objects.get(pk=transfer_id)
    # The file is stored first and removed again if the commit fails.
    with storing(ContentFile(data, name="bundle.zip")) as storage_name, transaction.atomic():
        FileTransfer.objects.filter(pk=transfer_id, status=PrintStatus.RUNNING).update(
            status=PrintStatus.READY,
            sealed_at=timezone.now(),
            storage_name=storage_name,
            size=len(data),
            digest=sha256(data),
            part_digests=digests,
        )
        TransferLinkEmail.objects.filter(transfer_id=transfer_id).update(
            next_attempt_at=timezone.now()
        )
        access_record(
            action=AccessAction.SHARE,
            actor=Actor.system(route="celery"),
            subject=transfer,
            pupil_id=pupil.pk,
            detail="child-protection file sealed; its link emailed to the new school",
        )
        outbox_nudge(TransferLinkEmail)
    return FileTransfer.objects.get(pk=transfer_id)


def _seal_failed(transfer_id: int, message: str) -> None:
    with transaction.atomic():
        FileTransfer.objects.filter(pk=transfer_id).update(status=PrintStatus.FAILED)
        TransferLinkEmail.objects.filter(transfer_id=transfer_id).delete()
    logger.info("File transfer %s not sealed: %s", transfer_id, message)


def file_transfers_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Close transfers a dead worker left sealing, and send again the sealing of those whose
    task the broker lost."""
    now = now or timezone.now()
    stuck = list(
        FileTransfer.objects.filter(
            status=PrintStatus.RUNNING, started_at__lt=now - SEAL_STUCK_AFTER
        ).values_list("pk", flat=True)
    )
    for transfer_id in stuck:
        _seal_failed(transfer_id, SEAL_STOPPED)
    lost = list(
        FileTransfer.objects.filter(
            status=PrintStatus.QUEUED, made_at__lt=now - SEAL_LOST_AFTER
        ).values_list("pk", flat=True)[:50]
    )
    for transfer_id in lost:
        _enqueue_seal(transfer_id)
    return {"stopped": len(stuck), "sent_again": len(lost)}


# --- Receiving the file ----------------------------------------------------------------------

WRONG_CODES_LOCK = 5
WRONG_CODE = "That code is not right. Check it with the DSL who sent the file."
RECEIVED_RESOLUTION = "The new school's DSL confirmed receipt of the file"


def transfer_closed_reason(transfer: FileTransfer, *, now: datetime.datetime) -> str | None:
    """Why the link does not work (or no longer does), or None while it does."""
    if transfer.status == PrintStatus.FAILED:
        return "This file could not be prepared. Ask the school that sent it to send it again."
    if not transfer.is_sealed:
        return "This file is still being prepared. Try the link again in a few minutes."
    if transfer.received_at is not None:
        return "This file has already been received: the link worked once and no longer works."
    if transfer.locked_at is not None:
        return (
            "This link is locked after too many wrong codes. Ask the school that sent the file "
            "to send it again."
        )
    if transfer.expires_at <= now:
        return "This link has expired. Ask the school that sent the file to send it again."
    return None


# Wrong codes from one client address, whatever the links, within the window: past that, no
# code is tried from the address until the window ends (counted in the cache, like sign-ins).
WRONG_CODES_PER_ADDRESS = 10
ADDRESS_WINDOW_SECONDS = 60 * 60
TOO_MANY_CODES = (
    "Too many wrong codes have been entered from this network. Wait an hour and try again, "
    "or ask the school that sent the file to check the code with you."
)


def _address_key(actor: Actor) -> str:
    # The address only as a digest: nothing about a person is kept in the cache's keys.
    address = hashlib.sha256((actor.ip_address or "unknown").encode()).hexdigest()
    # One count per address and clock hour, so the window follows the service's clock
    # whatever the cache (Redis expires keys by its own clock); the timeout only tidies up.
    window = int(timezone.now().timestamp()) // ADDRESS_WINDOW_SECONDS
    return f"file-transfer-wrong-codes:{address}:{window}"


def _address_limited(actor: Actor) -> bool:
    return cache.get(_address_key(actor), 0) >= WRONG_CODES_PER_ADDRESS


def _address_count_wrong(actor: Actor) -> None:
    key = _address_key(actor)
    cache.add(key, 0, timeout=ADDRESS_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls: a new window
        cache.set(key, 1, timeout=ADDRESS_WINDOW_SECONDS)


def transfer_code_check(*, actor: Actor, transfer: FileTransfer, code: str) -> FileTransfer:
    """Accept the right code; count a wrong one (the 5th locks the link; the address's count
    is kept too) and refuse it at the field. The count is committed even though the answer is
    a refusal. From an address past its limit no code is tried: refused at the field, audited,
    counted against no link."""
    if _address_limited(actor):
        refusal_record(
            actor,
            subject=transfer,
            pupil_id=transfer.leaving.pupil_id,
            detail="file transfer: too many wrong codes from one address",
        )
        raise ValidationError({"code": TOO_MANY_CODES})
    if hmac.compare_digest(code_digest(transfer.token_hash, code.strip()), transfer.code_hash):
        access_record(
            action=AccessAction.VIEW,
            actor=actor,
            subject=transfer,
            pupil_id=transfer.leaving.pupil_id,
            detail="file transfer opened with its code",
        )
        return transfer
    with transaction.atomic():
        FileTransfer.objects.filter(pk=transfer.pk).update(wrong_codes=F("wrong_codes") + 1)
        FileTransfer.objects.filter(
            pk=transfer.pk, wrong_codes__gte=WRONG_CODES_LOCK, locked_at__isnull=True
        ).update(locked_at=timezone.now())
        refusal_record(
            actor,
            subject=transfer,
            pupil_id=transfer.leaving.pupil_id,
            detail="file transfer: wrong code",
        )
    _address_count_wrong(actor)
    transfer.refresh_from_db()
    raise ValidationError({"code": WRONG_CODE})


def transfer_downloaded(*, actor: Actor, transfer: FileTransfer) -> None:
    FileTransfer.objects.filter(pk=transfer.pk, downloaded_at__isnull=True).update(
        downloaded_at=timezone.now()
    )
    access_record(
        action=AccessAction.EXPORT,
        actor=actor,
        subject=transfer,
        pupil_id=transfer.leaving.pupil_id,
        detail="child-protection file downloaded by the new school",
    )


@transaction.atomic
def transfer_receipt_confirm(
    *, actor: Actor, transfer: FileTransfer, name: str, role: str
) -> FileTransfer:
    """The receiving DSL confirms receipt: the link stops working and the flag clears."""
    transfer = FileTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer_closed_reason(transfer, now=timezone.now()):
        raise ValidationError(ALREADY_RECEIVED)
    transfer.received_at = timezone.now()
    transfer.received_by_name = name.strip()
    transfer.received_by_role = role.strip()
    transfer.save(update_fields=["received_at", "received_by_name", "received_by_role"])
    TransferFlag.objects.filter(leaving_id=transfer.leaving_id, resolved_at__isnull=True).update(
        resolved_at=transfer.received_at, resolution=RECEIVED_RESOLUTION
    )
    access_record(
        action=AccessAction.CHANGE,
        actor=actor,
        subject=transfer,
        pupil_id=transfer.leaving.pupil_id,
        detail="receipt of the child-protection file confirmed by the new school",
    )
    return transfer


# --- Importing a received file -----------------------------------------------------------------


@transaction.atomic
def transferred_file_import(
    *, actor: Actor, pupil: Pupil, bundle: UploadedFile, digest: str
) -> TransferredFile:
    """Import a bundle from another school into this pupil's file, read-only, once every
    digest matches; a changed or foreign file is refused and nothing is written."""
    if bundle.size > max_bytes():
        raise ValidationError({"bundle": f"The file is larger than {settings.DOCUMENT_MAX_MB} MB."})
    data = bundle.read()
    read = bundle_read(data, digest=digest)
    manifest = read["manifest"]
    with storing(ContentFile(data, name="bundle.zip")) as storage_name:
        imported = TransferredFile.objects.create(
            pupil=pupil,
            from_school_name=str(manifest.get("from_school", ""))[:200],
            from_school_urn=str(manifest.get("from_school_urn", ""))[:7],
            digest=sha256(data),
            part_digests=manifest["parts"],
            records=read["records"],
            storage_name=storage_name,
            imported_by=actor.user,
        )
        access_record(
            action=AccessAction.IMPORT,
            actor=actor,
            subject=imported,
            pupil_id=pupil.pk,
            detail="child-protection file from another school imported",
        )
    return imported
