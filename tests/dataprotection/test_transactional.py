"""Transactional tests: the migration's reverse, and tests that leave access events behind.

After a transactional test Django flushes every table. On SQLite that is DELETE FROM, which
the append-only trigger refuses; tests/conftest.py empties the audit through a purge window
just before the flush (see ``_empty_access_audit_before_flush``). These tests fail in their
teardown on SQLite if that ordering ever breaks.
"""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from dataprotection.models import AccessAction, AccessEvent, RetentionPurge
from dataprotection.services import access_record
from tests.dataprotection.test_append_only import EXPECTED_TRIGGERS, installed_triggers

# --- Tests -----------------------------------------------------------------------------------

MIGRATION = importlib.import_module(
    "dataprotection.migrations.0002_accessevent_append_only_triggers"
)


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_may_leave_events_behind():
    access_record(action=AccessAction.VIEW, pupil_id=1)
    access_record(action=AccessAction.LIST)

    assert AccessEvent.objects.count() == 2


def test_so_may_a_test_using_the_transactional_db_fixture(transactional_db):
    access_record(action=AccessAction.VIEW, pupil_id=1)

    assert AccessEvent.objects.count() == 1


def test_every_test_starts_with_an_empty_audit(transactional_db):
    # Whatever order the tests run in, the flush after the others emptied the table.
    assert not AccessEvent.objects.exists()
    assert not RetentionPurge.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_removes_its_triggers_when_reversed():
    event = access_record(action=AccessAction.VIEW, pupil_id=1)
    with connection.schema_editor() as editor:
        MIGRATION.remove_triggers(apps, editor)
    try:
        assert installed_triggers() == set()
        AccessEvent.objects.filter(pk=event.pk).update(detail="no trigger now")
    finally:
        with connection.schema_editor() as editor:
            MIGRATION.install_triggers(apps, editor)

    assert installed_triggers() == EXPECTED_TRIGGERS[connection.vendor]
