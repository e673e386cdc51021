"""Scheduled governance work. Tasks call a service and are idempotent: running one twice
records and sends nothing new."""

from celery import shared_task

from core.outbox import send_pending
from governance.models import PolicyReviewNotice
from governance.services import policy_review_notices_record


@shared_task
def check_policy_reviews() -> int:
    """Daily: note each policy in force whose review is due within 30 days or overdue (once
    per version and kind), then email the headteacher(s) and chair about any not yet sent."""
    policy_review_notices_record()
    return send_pending(PolicyReviewNotice)
