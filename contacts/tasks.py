"""Scheduled work on contact with families (policy section 3.2)."""

from celery import shared_task

from contacts.rules import run_daily_contact_rules, run_extra_call_rules, run_weekly_contact_rules
from schools.calendar import today


@shared_task
def check_daily_contacts() -> dict[str, int]:
    """After the end of the school day: flag missed daily contacts and families not
    responding, for today in Europe/London. Safe to run again: each rule raises a flag once
    per case, kind and period, and does nothing on a day that is not a school day."""
    return run_daily_contact_rules(today())


@shared_task
def check_weekly_wellbeing() -> dict[str, int]:
    """Every weekday after school: flag overdue wellbeing checks when today is the last school
    day of the week for the pupil's school (the rule decides, so a bank-holiday Friday moves
    the check to Thursday)."""
    return run_weekly_contact_rules(today())


@shared_task
def check_extra_calls() -> dict[str, int]:
    """After the end of the school day: flag the days on which fewer calls were made than the
    DSL team decided, for today in Europe/London. Safe to run again: one flag per case and
    day, and nothing on a day that is not a school day."""
    return run_extra_call_rules(today())
