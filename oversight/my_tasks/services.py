"""Marking a notification read: the only write on the tasks page."""

from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from core.outbox import OutboxMessage
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from oversight.my_tasks.sources import NotificationSource


def notification_mark_read(
    *, actor: Actor, source: NotificationSource, notification: OutboxMessage
) -> None:
    """Mark it read once; reading it again changes nothing. A notification about a concern is
    about a pupil, so marking it read is audited with that pupil."""
    with transaction.atomic():
        marked = source.model.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if marked and source.about_a_pupil:
            about = getattr(notification, source.about)
            access_record(
                action=AccessAction.CHANGE,
                actor=actor,
                subject=notification,
                pupil_id=about.pupil_id,
                detail="notification marked read",
            )
