"""The state of each existing row in the outbox's terms. Its own migration, after the columns
and their indexes exist: PostgreSQL cannot build an index in a transaction that has just
updated the table's rows."""

from django.db import migrations
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
    dependencies = [("contacts", "0003_outbox")]

    operations = [migrations.RunPython(outbox_state, migrations.RunPython.noop)]
