"""Make the seals, the hash chain links, the purge checkpoints and the verification runs
append-only in the database, as migration 0002 does for the access audit itself.

Unlike access events these rows are never purged: every UPDATE and DELETE is refused, from
the ORM, raw SQL and the admin alike. PostgreSQL: one plpgsql function and a BEFORE UPDATE OR
DELETE row trigger per table (TRUNCATE fires no row trigger, which the test runner's flush
relies on). SQLite: BEFORE UPDATE and BEFORE DELETE triggers per table; SQLite drops a
table's triggers when a migration rebuilds the table, so a later migration that alters one of
these models must install them again.
"""

from django.db import migrations

TABLES = (
    "dataprotection_auditseal",
    "dataprotection_auditeventhash",
    "dataprotection_purgecheckpoint",
    "dataprotection_auditverification",
)

POSTGRESQL_FUNCTION = """
    CREATE OR REPLACE FUNCTION dataprotection_audit_seal_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit seals are append-only: % refused on %', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
"""


def _postgresql_forwards() -> list[str]:
    statements = [POSTGRESQL_FUNCTION]
    for table in TABLES:
        statements.append(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION dataprotection_audit_seal_append_only()"
        )
    return statements


def _postgresql_backwards() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}" for table in TABLES]
    statements.append("DROP FUNCTION IF EXISTS dataprotection_audit_seal_append_only()")
    return statements


def _sqlite_forwards() -> list[str]:
    statements = []
    for table in TABLES:
        for operation in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'audit seals are append-only: {operation} refused'); "
                "END"
            )
    return statements


def _sqlite_backwards() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_{operation}"
        for table in TABLES
        for operation in ("update", "delete")
    ]


STATEMENTS = {
    "postgresql": (_postgresql_forwards, _postgresql_backwards),
    "sqlite": (_sqlite_forwards, _sqlite_backwards),
}


def _statements_for(schema_editor, direction: int) -> list[str]:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise NotImplementedError(
            f"dataprotection has no append-only triggers for the {vendor!r} database."
        )
    return STATEMENTS[vendor][direction]()


def install_triggers(apps, schema_editor) -> None:
    for statement in _statements_for(schema_editor, 0):
        schema_editor.execute(statement, params=None)


def remove_triggers(apps, schema_editor) -> None:
    for statement in _statements_for(schema_editor, 1):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("dataprotection", "0003_audit_seals"),
    ]

    operations = [
        migrations.RunPython(install_triggers, remove_triggers, elidable=False),
    ]
