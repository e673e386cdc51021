"""Scheduled work on remote-education cases."""

from celery import shared_task

from cases.flags.rules import run_case_rules
from schools.calendar import today


@shared_task
def check_cases() -> dict[str, int]:
    """Run the case rules for today in Europe/London. Safe to run as often as wanted: each
    rule raises a flag once per case, kind and period."""
    return run_case_rules(today())
