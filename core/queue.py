"""Hand work to Celery only once the database has committed the record it is about.

The caller always writes what must happen (a notification, a flag) to the database first, in
its own transaction. Sending the task is a nudge to do it now: if the broker is down the
nudge is logged and dropped, the record stays, and the next scheduled sweep picks it up. A
broker outage therefore delays work but never loses it and never fails the request.
"""

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` with these arguments after the current transaction commits."""

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:
            # Arguments are ids only, but log just the task name: nothing about a person.
            logger.warning("Broker unavailable; %s will run at the next sweep.", task.name)

    transaction.on_commit(send)
