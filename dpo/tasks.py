"""Scheduled and nudged work on the breach register and retention. Tasks take ids (or
nothing), call a service and are idempotent: running one twice sends or creates nothing new."""

from celery import shared_task

from dpo.retention.services import retention_reviews_due
from dpo.services import breach_reminders_due


@shared_task
def check_breach_clocks() -> int:
    """Every 15 minutes: remind the DPO at 24 h, 48 h and 66 h after discovery, once each,
    then once a day after the 72 hours, until the breach is reported to the ICO or a decision
    not to report it is recorded."""
    return breach_reminders_due()


@shared_task
def check_retention() -> int:
    """Nightly: queue records whose retention period has run out for the DPO's review."""
    return retention_reviews_due()
