import django.utils.timezone
from django.db import migrations, models
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
    dependencies = [
        ("governance", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="policyreviewnotice",
            name="last_error",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="policyreviewnotice",
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
            model_name="policyreviewnotice",
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
