"""Scheduled safeguarding checks (policy section 3.2). Loaded through CELERY_IMPORTS."""

from celery import shared_task

from safeguarding.rules import flag_social_worker_not_informed
from schools.calendar import today


@shared_task(name="safeguarding.check_long_absences")
def check_long_absences() -> int:
    """Before school: flag longer absences whose social worker has not been informed, for
    today in Europe/London. Safe to run again: one flag per case."""
    return flag_social_worker_not_informed(today())
