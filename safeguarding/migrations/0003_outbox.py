import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def outbox_state(apps, schema_editor):
    """Sent rows are done; unsent ones are due now, in the order they were written (the old
    sweep retried them without limit)."""
    Notification = apps.get_model("safeguarding", "Notification")
    Notification.objects.filter(sent_at__isnull=False).update(status="sent", next_attempt_at=None)
    Notification.objects.filter(sent_at__isnull=True).update(next_attempt_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("safeguarding", "0002_safeguardingsettings_max_session_minutes_and_more"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="notification",
            name="safeguardin_sent_at_760f4a_idx",
        ),
        migrations.AddField(
            model_name="notification",
            name="next_attempt_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                default=django.utils.timezone.now,
                help_text="When it is next due to be tried; empty once sent or given up.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting to send"),
                    ("sent", "Sent"),
                    ("failed", "Could not be sent"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.RunPython(outbox_state, migrations.RunPython.noop),
    ]
