import django.utils.timezone
from django.db import migrations, models


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
    ]
