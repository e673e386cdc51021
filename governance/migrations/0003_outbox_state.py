"""The state of each existing row in the outbox's terms. Its own migration, after the columns
and their indexes exist: PostgreSQL cannot build an index in a transaction that has just
updated the table's rows."""

from django.db import migrations
from django.db.models import F


def outbox_state(apps, schema_editor):
    """Sent rows are done; unsent ones the old sweep gave up on (five tries) stay given up;
    the rest are due now, in the order they were written."""
    Notice = apps.get_model("governance", "PolicyReviewNotice")
    Notice.objects.filter(sent_at__isnull=False).update(status="sent", next_attempt_at=None)
    unsent = Notice.objects.filter(sent_at__isnull=True)
    unsent.filter(attempts__gte=5).update(status="failed", next_attempt_at=None)
    unsent.filter(attempts__lt=5).update(next_attempt_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_outbox")]

    operations = [migrations.RunPython(outbox_state, migrations.RunPython.noop)]
