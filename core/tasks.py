"""Sending the outbox: a nudge after the event commits, and a sweep on the beat schedule for
anything whose nudge was lost. Both are idempotent: a sent message is never sent again."""

from celery import shared_task
from django.apps import apps

from core.outbox import OutboxMessage, send_pending
from core.queue import enqueue_on_commit


@shared_task(name="core.send_outbox")
def send_outbox(label: str) -> int:
    """Send what is due in one outbox now (``label`` as in ``app_label.ModelName``)."""
    return send_pending(apps.get_model(label))


@shared_task(name="core.sweep_outboxes")
def sweep_outboxes() -> int:
    """Every minute: send what is due in every outbox, whatever happened to its nudge."""
    return send_pending()


def outbox_nudge(model: type[OutboxMessage]) -> None:
    """Ask for ``model``'s outbox to be sent once the current transaction commits."""
    enqueue_on_commit(send_outbox, model._meta.label)
