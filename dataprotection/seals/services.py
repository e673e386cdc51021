"""Sealing the access audit, and checking the seals (tamper evidence for policy section 5).

See the comment above AuditSeal in models.py for the hash chain. Choices made here:

- Only events older than SEAL_DELAY (one minute) are sealed. An event's id is given when its
  transaction inserts it but it only becomes visible at commit, so a slow transaction can
  commit an event with a lower id after higher ids were already sealed. Waiting a minute
  makes that rare; and a seal takes every event *not yet sealed* (not "every id above the last
  seal"), in id order, so an event that commits later still is sealed by the next run instead
  of being skipped. Seals may therefore overlap in id range; each event is in exactly one
  (AuditEventHash.event_id is unique). To keep that search cheap it looks back LATE_WINDOW
  (one day) before the last seal: an event committing more than a day late stays unsealed.
- Two runs at once never seal the same events twice: on PostgreSQL the run holds a
  transaction-level advisory lock; everywhere the unique sequence, first_event_id and
  event_id refuse a second seal over the same events (SQLite allows one writer at a time).
- Events are read with ``iterator(chunk_size=...)`` and links written in batches, never all
  in memory; one seal holds at most SEAL_MAX_EVENTS events, and a run seals until done.
- The retention purge records a PurgeCheckpoint in the same transaction as it deletes:
  verification counts sealed events missing from before the latest checkpoint as purged,
  and reports any other missing sealed event as deleted.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from dataprotection.models import (
    AccessEvent,
    AuditEventHash,
    AuditSeal,
    AuditVerification,
    PurgeCheckpoint,
)

SEAL_DELAY = datetime.timedelta(minutes=1)
LATE_WINDOW = datetime.timedelta(days=1)
SEAL_MAX_EVENTS = 50_000
CHUNK_SIZE = 2_000
# Any constant: the key of the PostgreSQL advisory lock that serialises sealing runs.
SEAL_LOCK_KEY = 5_310_001
LONDON = ZoneInfo("Europe/London")

CANONICAL_FIELDS = (
    "id",
    "occurred_at",
    "user_id",
    "user_display",
    "action",
    "subject_type",
    "subject_id",
    "pupil_id",
    "route",
    "detail",
    "ip_address",
    "request_id",
)


def event_canonical(event: AccessEvent) -> bytes:
    """Every field of the event, in a fixed order, as compact JSON (UTF-8).

    JSON keeps field boundaries unambiguous (a detail holding a separator cannot shift a
    field) and None distinct from "". Times are UTC ISO 8601 with microseconds.
    """
    values: list[object] = []
    for name in CANONICAL_FIELDS:
        value = getattr(event, name)
        if name == "occurred_at":
            value = value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        elif name == "ip_address" and value is not None:
            value = str(value)
        values.append(value)
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(previous_hash: str, event: AccessEvent) -> str:
    return hashlib.sha256(previous_hash.encode() + event_canonical(event)).hexdigest()


def _lock_sealing() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])


def _unsealed_events(*, before: datetime.datetime, last: AuditSeal | None):
    events = AccessEvent.objects.filter(occurred_at__lt=before).filter(
        ~Exists(AuditEventHash.objects.filter(event_id=OuterRef("pk")))
    )
    if last is not None:
        events = events.filter(occurred_at__gte=last.sealed_at - LATE_WINDOW)
    return events.order_by("id")


@transaction.atomic
def audit_seal(*, max_events: int = SEAL_MAX_EVENTS) -> AuditSeal | None:
    """Seal up to ``max_events`` events not yet sealed (older than SEAL_DELAY), in id order.

    Returns the new seal, or None when there was nothing to seal.
    """
    _lock_sealing()
    now = timezone.now()
    last = AuditSeal.objects.order_by("-sequence").first()
    sequence = 1 if last is None else last.sequence + 1
    previous_digest = "" if last is None else last.digest
    running = previous_digest
    first_id = last_id = None
    count = 0
    batch: list[AuditEventHash] = []
    events = _unsealed_events(before=now - SEAL_DELAY, last=last)[:max_events]
    for event in events.iterator(chunk_size=CHUNK_SIZE):
        link = chain_hash(running, event)
        batch.append(
            AuditEventHash(
                event_id=event.pk,
                seal_sequence=sequence,
                occurred_at=event.occurred_at,
                previous_hash=running,
                chain_hash=link,
            )
        )
        running = link
        first_id = event.pk if first_id is None else first_id
        last_id = event.pk
        count += 1
        if len(batch) >= CHUNK_SIZE:
            AuditEventHash.objects.bulk_create(batch)
            batch = []
    if count == 0:
        return None
    if batch:
        AuditEventHash.objects.bulk_create(batch)
    seal = AuditSeal(
        sequence=sequence,
        sealed_at=now,
        first_event_id=first_id,
        last_event_id=last_id,
        event_count=count,
        digest=running,
        previous_digest=previous_digest,
    )
    seal.full_clean(validate_unique=False)
    seal.save()
    return seal


def audit_seal_all() -> int:
    """Seal everything waiting, one seal per SEAL_MAX_EVENTS events; how many seals made."""
    made = 0
    while audit_seal() is not None:
        made += 1
    return made


# --- Verification ----------------------------------------------------------------------------


@dataclass
class ChainReport:
    ok: bool = True
    seals_checked: int = 0
    events_checked: int = 0
    events_purged: int = 0
    last_seal_sequence: int | None = None
    first_bad_event_id: int | None = None
    first_bad_seal_sequence: int | None = None
    problems: list[str] = field(default_factory=list)

    def fail(self, message: str, *, event_id: int | None = None, seal: int | None = None) -> None:
        if self.ok:
            self.first_bad_event_id = event_id
            self.first_bad_seal_sequence = seal
        self.ok = False
        self.problems.append(message)

    @property
    def message(self) -> str:
        if self.ok:
            if not self.seals_checked:
                return "No seals yet: nothing to verify."
            return (
                f"All {self.seals_checked} seals verified up to seal {self.last_seal_sequence}: "
                f"{self.events_checked} events match"
                + (
                    f", {self.events_purged} removed by retention purges."
                    if self.events_purged
                    else "."
                )
            )
        return self.problems[0]


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment, LONDON):%d/%m/%Y %H:%M:%S}"


def _check_links(
    report: ChainReport,
    seal: AuditSeal,
    links: list[AuditEventHash],
    purged_before: datetime.datetime | None,
) -> None:
    """Check one batch of a seal's links against the events they name (one query)."""
    events = AccessEvent.objects.in_bulk([link.event_id for link in links])
    for link in links:
        event = events.get(link.event_id)
        if event is None:
            if purged_before is not None and link.occurred_at < purged_before:
                report.events_purged += 1
                continue
            report.fail(
                f"Event {link.event_id} of {_when(link.occurred_at)} (seal {seal.sequence}) "
                "has been deleted.",
                event_id=link.event_id,
                seal=seal.sequence,
            )
            continue
        report.events_checked += 1
        if chain_hash(link.previous_hash, event) != link.chain_hash:
            report.fail(
                f"Event {event.pk} of {_when(link.occurred_at)} (seal {seal.sequence}) "
                "does not match its seal: it has been altered.",
                event_id=event.pk,
                seal=seal.sequence,
            )


def _check_seal(
    report: ChainReport,
    seal: AuditSeal,
    expected_previous: str,
    purged_before: datetime.datetime | None,
) -> None:
    name = f"Seal {seal.sequence} of {_when(seal.sealed_at)}"
    if seal.previous_digest != expected_previous:
        report.fail(f"{name} does not follow the seal before it.", seal=seal.sequence)
    running = seal.previous_digest
    count = 0
    first_id = last_id = None
    batch: list[AuditEventHash] = []
    links = AuditEventHash.objects.filter(seal_sequence=seal.sequence).order_by("event_id")
    for link in links.iterator(chunk_size=CHUNK_SIZE):
        if link.previous_hash != running:
            report.fail(
                f"Event {link.event_id} of {_when(link.occurred_at)} (seal {seal.sequence}) "
                "is out of the chain: its seal record has been altered.",
                event_id=link.event_id,
                seal=seal.sequence,
            )
        running = link.chain_hash
        count += 1
        first_id = link.event_id if first_id is None else first_id
        last_id = link.event_id
        batch.append(link)
        if len(batch) >= CHUNK_SIZE:
            _check_links(report, seal, batch, purged_before)
            batch = []
    if batch:
        _check_links(report, seal, batch, purged_before)
    if (count, first_id, last_id, running) != (
        seal.event_count,
        seal.first_event_id,
        seal.last_event_id,
        seal.digest,
    ):
        report.fail(
            f"{name} does not match the events it sealed (events {seal.first_event_id}"
            f" to {seal.last_event_id}).",
            event_id=seal.first_event_id,
            seal=seal.sequence,
        )


def audit_chain_check() -> ChainReport:
    """Recompute every seal and every sealed event's link; report the first mismatch first."""
    report = ChainReport()
    checkpoint = PurgeCheckpoint.objects.order_by("-purge_before").first()
    purged_before = checkpoint.purge_before if checkpoint is not None else None
    expected_previous = ""
    expected_sequence = 1
    for seal in AuditSeal.objects.order_by("sequence").iterator(chunk_size=CHUNK_SIZE):
        if seal.sequence != expected_sequence:
            report.fail(
                f"Seal {expected_sequence} is missing (the next is seal {seal.sequence}).",
                seal=expected_sequence,
            )
        _check_seal(report, seal, expected_previous, purged_before)
        expected_previous = seal.digest
        expected_sequence = seal.sequence + 1
        report.seals_checked += 1
        report.last_seal_sequence = seal.sequence
    return report


@transaction.atomic
def audit_chain_verify() -> tuple[ChainReport, AuditVerification]:
    """Check the chain and record the run, for the DPO's page."""
    report = audit_chain_check()
    verification = AuditVerification(
        verified_at=timezone.now(),
        ok=report.ok,
        seals_checked=report.seals_checked,
        events_checked=report.events_checked,
        events_purged=report.events_purged,
        last_seal_sequence=report.last_seal_sequence,
        first_bad_event_id=report.first_bad_event_id,
        first_bad_seal_sequence=report.first_bad_seal_sequence,
        message=report.message[:500],
    )
    verification.full_clean()
    verification.save()
    return report, verification


def purge_checkpoint_record(*, before: datetime.datetime, deleted: int) -> PurgeCheckpoint:
    """Called by the retention purge in its own transaction."""
    checkpoint = PurgeCheckpoint(
        purge_before=before, recorded_at=timezone.now(), deleted_count=deleted
    )
    checkpoint.full_clean()
    checkpoint.save()
    return checkpoint
