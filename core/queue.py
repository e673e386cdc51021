"""Hand work to Celery only once the database has committed the record it is about.

The caller always writes what must happen (a notification, a flag) to the database first, in
its own transaction. Sending the task is a nudge to do it now: if the broker is down the
nudge is logged and dropped, the record stays, and the next scheduled sweep picks it up. A
broker outage therefore delays work but never loses it and never fails the request.
"""

import logging
from typing import Any

from celery import Task, current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def task_named(name: str) -> Task:
    """The registered task of this name, importing every app's tasks.py first if need be: a
    web process imports a task module only when something asks for it."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def enqueue_on_commit(task: Task | str, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` with these arguments after the current transaction commits.

    A service whose own task calls it back names the task (``"oversight.render_report"``)
    instead of importing it, so the service and its task module do not import each other.
    """

    def send() -> None:
        try:
            # Looked up at send time, when every app's tasks are registered.
            found = task_named(task) if isinstance(task, str) else task
            found.apply_async(args=args, kwargs=kwargs)
        except Exception:
            # Arguments are ids only, but log just the task name: nothing about a person.
            name = task if isinstance(task, str) else task.name
            logger.warning("Broker unavailable; %s will run at the next sweep.", name)

    transaction.on_commit(send)
