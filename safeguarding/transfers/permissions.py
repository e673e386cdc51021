"""Who records a pupil's leaving and sends their child-protection file.

The DSL team of the pupil's site and the headteacher (who may take a pupil off roll) record
the leaving and follow the transfer; sending the file is the DSL team's (KCSIE: the DSL
transfers it), so the headteacher gets 403 on that. Everyone else is told the pupil's file
does not exist (404). The receiving DSL has no account here: their page is gated by the
link's token and code (``access_transfer_link``).
"""

from django.utils import timezone

from core.actor import Actor
from dataprotection.refusals import Access, refusal_record, refuse
from safeguarding.models import FileTransfer, TransferredFile
from safeguarding.transfers.services import token_digest, transfer_closed_reason
from schools.models import Pupil
from schools.permissions import DSL_ROLES, SAFEGUARDING_ROLES, pupil_access

PUPIL_SUBJECT = Pupil._meta.label_lower


def access_pupil_transfer(actor: Actor, pupil_pk: int, *, to: Access = "read") -> Pupil:
    """The pupil whose leaving and file transfer are recorded. ``to="act"``: send the file."""
    pupil = Pupil.objects.select_related("school", "school_class__site").filter(pk=pupil_pk).first()
    roles = pupil_access(actor.user, pupil).roles if pupil else frozenset()
    if pupil is None or not roles & SAFEGUARDING_ROLES:
        refuse(
            actor,
            subject_type=PUPIL_SUBJECT,
            subject_id=pupil_pk,
            pupil_id=pupil.pk if pupil else None,
            detail="file transfer not visible to this person",
        )
    if to == "act" and not roles & DSL_ROLES:
        refuse(
            actor,
            status=403,
            subject=pupil,
            pupil_id=pupil.pk,
            detail="only the DSL team sends a child-protection file",
        )
    return pupil


def can_send_file(user: object, pupil: Pupil) -> bool:
    """The predicate matching ``access_pupil_transfer(..., to="act")``."""
    return bool(pupil_access(user, pupil).roles & DSL_ROLES)


# --- The receiving DSL's link ----------------------------------------------------------------

TRANSFER_SUBJECT = FileTransfer._meta.label_lower
# Set in the visitor's session once the right code is given for that transfer.
OPENED_KEY = "file-transfer-opened"


class LinkClosed(Exception):
    """The link was used, expired or locked: the page says which (410), audited."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def access_transfer_link(
    actor: Actor, token: str, *, opened_ids: list[int] | None = None, to: Access = "read"
) -> FileTransfer:
    """The transfer a link's token names: 404 for no such link; ``LinkClosed`` when it was
    received, locked or expired; ``to="act"`` (download, receipt) needs the code given in this
    session first (403)."""
    transfer = (
        FileTransfer.objects.select_related("leaving__pupil__school")
        .filter(token_hash=token_digest(token))
        .first()
    )
    if transfer is None:
        refuse(actor, subject_type=TRANSFER_SUBJECT, detail="no such file transfer link")
    pupil_id = transfer.leaving.pupil_id
    if reason := transfer_closed_reason(transfer, now=timezone.now()):
        refusal_record(
            actor, subject=transfer, pupil_id=pupil_id, detail="file transfer link closed"
        )
        raise LinkClosed(reason)
    if to == "act" and transfer.pk not in (opened_ids or []):
        refuse(
            actor,
            status=403,
            subject=transfer,
            pupil_id=pupil_id,
            detail="file transfer: the code was not given",
        )
    return transfer


def access_transferred_file(actor: Actor, pk: int) -> TransferredFile:
    """A file imported from another school: for those who read the pupil's chronology."""
    imported = TransferredFile.objects.select_related("pupil", "imported_by").filter(pk=pk).first()
    if imported is None:
        refuse(
            actor,
            subject_type=TransferredFile._meta.label_lower,
            subject_id=pk,
            detail="no such transferred file",
        )
    access_pupil_transfer(actor, imported.pupil_id)
    return imported
