"""Scheduled IT support work. Tasks take ids (or nothing), call a service and are idempotent."""

import logging

from celery import shared_task

from itsupport.services import loans_note_overdue
from schools.calendar import today

logger = logging.getLogger(__name__)


@shared_task
def check_overdue_loans() -> int:
    """Before school: note loans still out after their return date, for IT's overdue list.
    One UPDATE; running it again notes nothing new."""
    noted = loans_note_overdue(today())
    logger.info("IT support: %s loan(s) newly overdue for return", noted)
    return noted
