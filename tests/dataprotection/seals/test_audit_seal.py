"""Tamper evidence: seals over the access audit, and verify_audit_chain naming what changed.

To alter or delete an event the tests first switch the append-only trigger off inside the
test's transaction (dropped on SQLite, disabled on PostgreSQL), as an intruder with database
rights could; the test's rollback puts it back.
"""

import datetime
import io
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse

from dataprotection.management.commands.purge_access_events import access_events_purge
from dataprotection.models import (
    AccessAction,
    AccessEvent,
    AuditEventHash,
    AuditSeal,
    AuditVerification,
    PurgeCheckpoint,
)
from dataprotection.seals.services import audit_seal, audit_seal_all, chain_hash, event_canonical
from dataprotection.selectors import latest_seal
from dataprotection.services import access_record
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def events_at(moment: datetime.datetime, count: int) -> list[AccessEvent]:
    with time_machine.travel(moment, tick=False):
        return [
            access_record(
                action=AccessAction.VIEW,
                subject_type="schools.pupil",
                subject_id=n,
                pupil_id=n,
                detail=f"event {n}",
            )
            for n in range(count)
        ]


def seal_at(moment: datetime.datetime) -> AuditSeal | None:
    with time_machine.travel(moment, tick=False):
        return audit_seal()


def without_append_only_trigger(sql: str, params: list) -> None:
    """Run ``sql`` with the access audit's trigger switched off, as an intruder could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE dataprotection_accessevent "
                "DISABLE TRIGGER dataprotection_accessevent_append_only"
            )
        else:
            cursor.execute("DROP TRIGGER dataprotection_accessevent_no_update")
            cursor.execute("DROP TRIGGER dataprotection_accessevent_no_delete")
        cursor.execute(sql, params)


def verify() -> tuple[bool, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit_chain", stdout=out, stderr=err)
    except CommandError as error:
        return False, str(error)
    return True, out.getvalue()


def test_a_seal_covers_every_event_older_than_a_minute_in_id_order():
    events = events_at(T0, 3)
    late = events_at(T0 + datetime.timedelta(minutes=10), 1)

    seal = seal_at(T0 + datetime.timedelta(minutes=10, seconds=30))

    assert seal.sequence == 1
    assert (seal.first_event_id, seal.last_event_id) == (events[0].pk, events[2].pk)
    assert seal.event_count == 3
    assert seal.previous_digest == ""
    running = ""
    for event in events:
        event.refresh_from_db()
        running = chain_hash(running, event)
    assert seal.digest == running
    assert not AuditEventHash.objects.filter(event_id=late[0].pk).exists()


def test_the_canonical_form_holds_every_field_and_utc_time():
    (event,) = events_at(datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC), 1)
    event.refresh_from_db()

    text = event_canonical(event).decode()

    assert text.startswith(f'[{event.pk},"2026-07-01T12:00:00.000000+00:00",')
    assert '"event 0"' in text and '"view"' in text and '"schools.pupil"' in text


def test_sealing_twice_makes_one_seal_and_the_next_chains_onto_it():
    events_at(T0, 2)
    with time_machine.travel(T0 + datetime.timedelta(minutes=5), tick=False):
        assert audit_seal_all() == 1
        assert audit_seal_all() == 0
    assert AuditSeal.objects.count() == 1

    more = events_at(T0 + datetime.timedelta(hours=1), 2)
    second = seal_at(T0 + datetime.timedelta(hours=2))

    first = AuditSeal.objects.get(sequence=1)
    assert second.sequence == 2
    assert second.previous_digest == first.digest
    assert second.first_event_id == more[0].pk
    assert seal_at(T0 + datetime.timedelta(hours=3)) is None


def test_a_second_seal_over_the_same_events_is_refused_by_the_database():
    (event,) = events_at(T0, 1)
    seal_at(T0 + datetime.timedelta(hours=1))

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEventHash.objects.create(
            event_id=event.pk, seal_sequence=2, occurred_at=T0, chain_hash="0" * 64
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.create(
            sequence=2,
            sealed_at=T0,
            first_event_id=event.pk,
            last_event_id=event.pk,
            event_count=1,
            digest="0" * 64,
        )


def test_an_event_committed_late_is_sealed_by_the_next_seal():
    events_at(T0, 2)
    seal_at(T0 + datetime.timedelta(minutes=30))
    # A transaction that began before the seal and committed after it.
    (late,) = events_at(T0 + datetime.timedelta(minutes=29, seconds=50), 1)

    second = seal_at(T0 + datetime.timedelta(minutes=45))

    assert second.event_count == 1
    assert AuditEventHash.objects.get(event_id=late.pk).seal_sequence == 2
    assert verify()[0]


def test_seals_and_their_links_are_append_only():
    events_at(T0, 1)
    seal = seal_at(T0 + datetime.timedelta(hours=1))

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditSeal.objects.filter(pk=seal.pk).update(digest="0" * 64)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditSeal.objects.all().delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEventHash.objects.all().update(chain_hash="0" * 64)

    assert AuditSeal.objects.get().digest == seal.digest


def test_an_untouched_chain_verifies_and_the_run_is_recorded():
    events_at(T0, 5)
    seal_at(T0 + datetime.timedelta(hours=1))
    events_at(T0 + datetime.timedelta(hours=2), 3)
    seal_at(T0 + datetime.timedelta(hours=3))

    ok, output = verify()

    assert ok, output
    assert "All 2 seals verified up to seal 2: 8 events match" in output
    run = AuditVerification.objects.get()
    assert run.ok and run.last_seal_sequence == 2 and run.first_bad_event_id is None


def test_an_altered_event_is_named():
    events = events_at(T0, 5)
    seal_at(T0 + datetime.timedelta(hours=1))
    target = events[2]

    without_append_only_trigger(
        "UPDATE dataprotection_accessevent SET detail = %s WHERE id = %s", ["nothing", target.pk]
    )
    ok, message = verify()

    assert not ok
    assert f"Event {target.pk} of 02/03/2026 09:00:00 (seal 1)" in message
    assert "altered" in message
    run = AuditVerification.objects.get()
    assert (run.ok, run.first_bad_event_id, run.first_bad_seal_sequence) == (False, target.pk, 1)


def test_an_altered_time_is_named_too():
    events = events_at(T0, 3)
    seal_at(T0 + datetime.timedelta(hours=1))

    without_append_only_trigger(
        "UPDATE dataprotection_accessevent SET occurred_at = %s WHERE id = %s",
        [T0 - datetime.timedelta(days=1), events[0].pk],
    )

    ok, message = verify()
    assert not ok and f"Event {events[0].pk} " in message


def test_a_deleted_event_is_named():
    events = events_at(T0, 5)
    seal_at(T0 + datetime.timedelta(hours=1))
    events_at(T0 + datetime.timedelta(hours=2), 2)
    seal_at(T0 + datetime.timedelta(hours=3))
    target = events[3]

    without_append_only_trigger("DELETE FROM dataprotection_accessevent WHERE id = %s", [target.pk])
    ok, message = verify()

    assert not ok
    assert f"Event {target.pk} of 02/03/2026 09:00:00 (seal 1) has been deleted" in message
    assert AuditVerification.objects.get().first_bad_event_id == target.pk


def test_events_removed_by_the_retention_purge_are_not_tampering():
    old = events_at(T0, 4)
    seal_at(T0 + datetime.timedelta(hours=1))
    recent = events_at(T0 + datetime.timedelta(days=30), 2)
    seal_at(T0 + datetime.timedelta(days=30, hours=1))

    with time_machine.travel(T0 + datetime.timedelta(days=31), tick=False):
        deleted = access_events_purge(before=T0 + datetime.timedelta(days=1), reason="retention")
    assert deleted == 4
    assert PurgeCheckpoint.objects.get().deleted_count == 4

    ok, output = verify()
    assert ok, output
    assert "4 removed by retention purges" in output

    # A later deletion among what remains is still caught.
    without_append_only_trigger(
        "DELETE FROM dataprotection_accessevent WHERE id = %s", [recent[0].pk]
    )
    ok, message = verify()
    assert not ok and f"Event {recent[0].pk} " in message
    assert f"Event {old[0].pk} " not in message


def test_latest_seal_says_whether_and_when_it_was_verified():
    assert latest_seal() is None
    events_at(T0, 2)
    seal_at(T0 + datetime.timedelta(hours=1))
    seal = latest_seal()
    assert seal.sequence == 1 and seal.verified_ok is None and seal.verified_at is None

    with time_machine.travel(T0 + datetime.timedelta(hours=2), tick=False):
        verify()
    seal = latest_seal()
    assert seal.verified_ok is True
    assert seal.verified_at == T0 + datetime.timedelta(hours=2)

    events_at(T0 + datetime.timedelta(hours=3), 1)
    seal_at(T0 + datetime.timedelta(hours=4))
    seal = latest_seal()
    assert seal.sequence == 2 and seal.verified_ok is None


def test_the_access_log_shows_the_latest_seal_and_a_failed_check(world):
    events = events_at(T0, 3)
    seal_at(T0 + datetime.timedelta(hours=1))
    url = reverse("oversight:access_log")
    dpo = client_for(world.users["dpo"])

    with time_machine.travel(T0 + datetime.timedelta(hours=2), tick=False):
        verify()
    page = dpo.get(url).content.decode()
    assert "seal 1</strong>, made" in page
    assert "Verified" in page and "no tampering found" in page

    without_append_only_trigger(
        "UPDATE dataprotection_accessevent SET detail = %s WHERE id = %s", ["", events[1].pk]
    )
    verify()
    page = dpo.get(url).content.decode()
    assert "FAILED" in page
    assert f"at event {events[1].pk} (seal 1)" in page


def test_the_access_log_says_when_nothing_is_sealed_yet(world):
    page = client_for(world.users["dpo"]).get(reverse("oversight:access_log")).content.decode()

    assert "No seal yet" in page
    assert "have not been checked yet" in page


def test_the_tasks_seal_and_verify():
    from dataprotection.tasks import seal_access_events, verify_audit_chain

    events_at(T0, 2)
    assert seal_access_events() == 1
    assert seal_access_events() == 0
    assert verify_audit_chain() is True


def test_two_runs_at_once_make_one_seal(transactional_db):
    # Real concurrency needs real transactions and a server: PostgreSQL only (SQLite lets one
    # writer in at a time anyway, and its test flush could not empty the append-only seals).
    if connection.vendor != "postgresql":
        pytest.skip("concurrent sealing is checked on PostgreSQL")
    events_at(T0, 5)
    barrier = threading.Barrier(2)
    results: list[object] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(audit_seal())
        except Exception as error:  # reported below, not lost in the thread
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert AuditSeal.objects.count() == 1
    assert AuditEventHash.objects.count() == 5
    assert sorted(result is None for result in results) == [False, True], results
