import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dpo", "0002_subject_access_request"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="breachnotification",
            name="dpo_breachn_sent_at_2b92b1_idx",
        ),
        migrations.AddField(
            model_name="breachnotification",
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
            model_name="breachnotification",
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
    ]
