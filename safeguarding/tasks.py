"""Scheduled and nudged work on safeguarding notifications. Tasks take ids (or nothing), call
a service and are idempotent: running one twice sends or creates nothing new."""

from celery import shared_task

from safeguarding.services import notifications_for_unacknowledged, notifications_send_pending


@shared_task
def send_pending_notifications() -> int:
    """Send every unsent notification (nudged after a concern commits, and every minute)."""
    return notifications_send_pending()


@shared_task
def check_unacknowledged() -> int:
    """Every five minutes: remind the DSL team and escalate to the headteacher, once, about
    immediate concerns not acknowledged in time."""
    return notifications_for_unacknowledged()
