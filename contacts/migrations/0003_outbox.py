import django.utils.timezone
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def outbox_state(apps, schema_editor):
    """A delivery was written with its message: it takes the message's time. Sent and failed
    deliveries are done; waiting ones are due now, in the order they were written."""
    Delivery = apps.get_model("contacts", "FamilyMessageDelivery")
    Message = apps.get_model("contacts", "FamilyMessage")
    Delivery.objects.update(
        created_at=Subquery(Message.objects.filter(pk=OuterRef("message_id")).values("created_at"))
    )
    Delivery.objects.exclude(status="pending").update(next_attempt_at=None)
    Delivery.objects.filter(status="pending").update(next_attempt_at=F("created_at"))


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
        migrations.RunPython(outbox_state, migrations.RunPython.noop),
    ]
