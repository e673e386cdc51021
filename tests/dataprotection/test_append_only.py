"""The access audit is append-only in the database itself, on SQLite and on PostgreSQL."""

import contextlib
import datetime

import pytest
import time_machine
from django.db import DatabaseError, IntegrityError, connection, transaction

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent, RetentionPurge
from dataprotection.services import access_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "access events are append-only"
UPDATE_REFUSED = "UPDATE refused"
DELETE_REFUSED = "DELETE refused"


def event_at(moment: datetime.datetime, **kwargs: object) -> AccessEvent:
    with time_machine.travel(moment, tick=False):
        return access_record(action=kwargs.pop("action", AccessAction.VIEW), **kwargs)


@contextlib.contextmanager
def refused(match: str = REFUSED):
    """Expect the database to refuse, inside a savepoint so PostgreSQL can carry on after."""
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        yield


@pytest.fixture
def event() -> AccessEvent:
    return access_record(
        action=AccessAction.VIEW, subject_type="schools.pupil", subject_id=7, pupil_id=7
    )


def test_the_orm_cannot_update_an_event(event):
    with refused(UPDATE_REFUSED):
        AccessEvent.objects.filter(pk=event.pk).update(detail="tidied up")

    event.detail = "tidied up"
    with refused(UPDATE_REFUSED):
        event.save()

    event.refresh_from_db()
    assert event.detail == ""


def test_the_orm_cannot_delete_an_event(event):
    with refused(DELETE_REFUSED):
        event.delete()
    with refused(DELETE_REFUSED):
        AccessEvent.objects.all().delete()

    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_cannot_update_or_delete_an_event(event):
    with refused(UPDATE_REFUSED), connection.cursor() as cursor:
        cursor.execute("UPDATE dataprotection_accessevent SET user_display = 'someone else'")
    with refused(DELETE_REFUSED), connection.cursor() as cursor:
        cursor.execute("DELETE FROM dataprotection_accessevent")

    event.refresh_from_db()
    assert event.user_display == "Anonymous"


def test_the_refusal_names_the_rule_on_every_database(event):
    with pytest.raises(DatabaseError) as refusal, transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).update(detail="x")

    assert REFUSED in str(refusal.value)
    # The same class on both databases: SQLite's RAISE(ABORT) is a constraint failure, and the
    # PostgreSQL function raises SQLSTATE 23000 (integrity_constraint_violation).
    assert isinstance(refusal.value, IntegrityError)


def test_a_purge_window_lets_only_older_events_be_deleted():
    old = event_at(datetime.datetime(2019, 5, 1, 12, tzinfo=datetime.UTC))
    recent = event_at(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC))
    RetentionPurge.objects.create(
        purge_before=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), reason="test"
    )

    # Within the window a recent event is still refused, and so is any update.
    with refused(DELETE_REFUSED):
        recent.delete()
    with refused(UPDATE_REFUSED):
        AccessEvent.objects.filter(pk=old.pk).update(detail="x")

    AccessEvent.objects.filter(pk=old.pk).delete()

    assert list(AccessEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_window_that_ends_before_the_event_does_not_open_it():
    event = event_at(datetime.datetime(2019, 5, 1, 12, tzinfo=datetime.UTC))
    RetentionPurge.objects.create(
        purge_before=datetime.datetime(2019, 5, 1, 12, tzinfo=datetime.UTC), reason="test"
    )

    with refused(DELETE_REFUSED):
        event.delete()


def test_an_event_outlives_the_person_it_names():
    user = UserFactory(full_name="Robin Ashdown", email="robin.ashdown@school.example")
    event = access_record(action=AccessAction.VIEW, actor=Actor.for_user(user), pupil_id=42)
    user_id = user.pk

    user.delete()

    event.refresh_from_db()
    assert event.user_id == user_id
    assert event.user_display == "Robin Ashdown <robin.ashdown@school.example>"


def installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger "
                "WHERE tgrelid = 'dataprotection_accessevent'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'dataprotection_accessevent'"
            )
        return {row[0] for row in cursor.fetchall()}


EXPECTED_TRIGGERS = {
    "postgresql": {"dataprotection_accessevent_append_only"},
    "sqlite": {"dataprotection_accessevent_no_update", "dataprotection_accessevent_no_delete"},
}


def test_the_triggers_survive_every_migration():
    # SQLite drops a table's triggers when a migration rebuilds the table: a later migration
    # that alters AccessEvent must install them again, or this fails.
    assert installed_triggers() == EXPECTED_TRIGGERS[connection.vendor]
