"""Celery tasks for schools. Each takes ids (or nothing) and calls a service."""

import datetime

from celery import shared_task

from schools.calendar import today
from schools.mis_import.runs import mis_import_process, mis_imports_sweep
from schools.term_dates.services import calendar_check


@shared_task
def mis_import_process_task(run_id: int) -> None:
    """Check (and unless a dry run, import) one uploaded MIS file. Safe to deliver twice."""
    mis_import_process(run_id=run_id)


@shared_task
def mis_imports_sweep_task() -> None:
    """Catch up on imports whose message the broker lost, and forget unused dry-run files."""
    mis_imports_sweep(
        queued_for=datetime.timedelta(minutes=5),
        running_for=datetime.timedelta(hours=2),
        keep_for=datetime.timedelta(days=7),
    )


@shared_task
def check_calendar_task() -> int:
    """Tell the headteacher and administrators when the calendar is about to run out."""
    return calendar_check(today=today())
