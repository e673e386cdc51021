"""The state of each existing row in the outbox's terms. Its own migration, after the columns
and their indexes exist: PostgreSQL cannot build an index in a transaction that has just
updated the table's rows."""

from django.db import migrations
from django.db.models import F


def outbox_state(apps, schema_editor):
    """Sent rows are done; unsent ones are due now, in the order they were written (the old
    sweep retried them without limit)."""
    Notification = apps.get_model("safeguarding", "Notification")
    Notification.objects.filter(sent_at__isnull=False).update(status="sent", next_attempt_at=None)
    Notification.objects.filter(sent_at__isnull=True).update(next_attempt_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0003_outbox")]

    operations = [migrations.RunPython(outbox_state, migrations.RunPython.noop)]
