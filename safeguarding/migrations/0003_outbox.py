import django.utils.timezone
from django.db import migrations, models


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
    ]
