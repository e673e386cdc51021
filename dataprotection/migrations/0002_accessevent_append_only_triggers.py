"""Make the access audit append-only in the database itself.

Every UPDATE of ``dataprotection_accessevent`` is refused, and so is every DELETE, except of
rows older than the ``purge_before`` of a ``dataprotection_retentionpurge`` row: the window the
``purge_access_events`` command opens and closes in one transaction. The ORM, raw SQL and the
admin all meet the same refusal.

PostgreSQL: one plpgsql function and a BEFORE UPDATE OR DELETE row trigger. TRUNCATE fires no
row trigger (the test runner's flush relies on that).
SQLite: a BEFORE UPDATE and a BEFORE DELETE trigger. Note that SQLite drops a table's triggers
with the table, and Django's SQLite schema editor rebuilds the table (create, copy, drop,
rename) for many field changes: a later migration that alters AccessEvent must install these
triggers again. tests/dataprotection checks they are present after every migration.
"""

from django.db import migrations

POSTGRESQL_FORWARDS = [
    """
    CREATE OR REPLACE FUNCTION dataprotection_accessevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (
            SELECT 1 FROM dataprotection_retentionpurge AS purge
            WHERE purge.purge_before > OLD.occurred_at
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'access events are append-only: % refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation',
                  HINT = 'Only a retention purge (manage.py purge_access_events) may delete rows.';
    END;
    $$
    """,
    """
    CREATE TRIGGER dataprotection_accessevent_append_only
    BEFORE UPDATE OR DELETE ON dataprotection_accessevent
    FOR EACH ROW EXECUTE FUNCTION dataprotection_accessevent_append_only()
    """,
]
POSTGRESQL_BACKWARDS = [
    "DROP TRIGGER IF EXISTS dataprotection_accessevent_append_only ON dataprotection_accessevent",
    "DROP FUNCTION IF EXISTS dataprotection_accessevent_append_only()",
]

SQLITE_FORWARDS = [
    """
    CREATE TRIGGER dataprotection_accessevent_no_update
    BEFORE UPDATE ON dataprotection_accessevent
    BEGIN
        SELECT RAISE(ABORT, 'access events are append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER dataprotection_accessevent_no_delete
    BEFORE DELETE ON dataprotection_accessevent
    WHEN NOT EXISTS (
        SELECT 1 FROM dataprotection_retentionpurge AS purge
        WHERE purge.purge_before > OLD.occurred_at
    )
    BEGIN
        SELECT RAISE(ABORT, 'access events are append-only: DELETE refused');
    END
    """,
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS dataprotection_accessevent_no_update",
    "DROP TRIGGER IF EXISTS dataprotection_accessevent_no_delete",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARDS, POSTGRESQL_BACKWARDS),
    "sqlite": (SQLITE_FORWARDS, SQLITE_BACKWARDS),
}


def _statements_for(schema_editor, direction: int) -> list[str]:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        # The model promises an append-only audit: never migrate without the triggers.
        raise NotImplementedError(
            f"dataprotection has no append-only triggers for the {vendor!r} database."
        )
    return STATEMENTS[vendor][direction]


def install_triggers(apps, schema_editor) -> None:
    for statement in _statements_for(schema_editor, 0):
        schema_editor.execute(statement, params=None)


def remove_triggers(apps, schema_editor) -> None:
    for statement in _statements_for(schema_editor, 1):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("dataprotection", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install_triggers, remove_triggers, elidable=False),
    ]
