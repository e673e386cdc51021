import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0002_family_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="familymessagedelivery",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="familymessagedelivery",
            name="next_attempt_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                default=django.utils.timezone.now,
                help_text="When it is next due to be tried; empty once sent or given up.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="familymessagedelivery",
            name="last_error",
            field=models.CharField(blank=True, max_length=300),
        ),
    ]
