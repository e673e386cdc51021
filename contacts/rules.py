"""Scheduled checks on contact with families (policy section 3.2): each rule raises flags in
one SQL statement.

- **Daily contact missed**: a running case with no contact logged on a school day of its
  pupil's school. Run after the end of the school day.
- **Weekly wellbeing check overdue**: a running case with no wellbeing check logged in the
  school week. Checked on the last school day of the week only (a bank-holiday Friday moves
  it to Thursday); a week without school days checks nothing.
- **Family not responding**: nobody has reached the pupil or a carer for the school's number
  of school days in a row, or the school's number of attempts in a row, since the family was
  last reached (or since the case started, if never). The flag asks SLT and the DSL to
  arrange a home visit; both see it through the case's visibility scope.

Like ``cases.rules``, a rule is a set-based ``INSERT INTO cases_flag ... SELECT ... ON
CONFLICT (case_id, kind, period) DO NOTHING``, beside a tidy-up ``UPDATE`` that resolves the
open flags of its kind whose condition no longer holds (the case was closed, or a contact was
logged by a route that did not resolve the flag). Two statements per rule whatever the
number of cases, and running a rule again raises nothing new. ``contacts.services`` resolves
flags when a contact answers them; the tidy-up only catches what it could not see.

School days are the SchoolDay rows of the pupil's school (terms less weekends, bank holidays
of England and Wales, INSET and closure days), and contacts are matched on
``ContactLog.contact_date``, the Europe/London date of the contact, so no statement does any
time-zone or calendar arithmetic: the clock changes cannot move a contact to the wrong day.
``today`` is the Europe/London date (``schools.calendar.today``).

The statements run unchanged on PostgreSQL and on SQLite 3.24 or later; tables are named
from the models' ``_meta`` and every value is passed to the driver as a parameter.
"""

import datetime
import logging

from django.db import transaction

from cases.models import Case, Flag, FlagKind
from cases.rules import NO_LONGER_APPLIES, RUNNING_STATUSES
from contacts.models import SUCCESSFUL_OUTCOMES, ContactKind, ContactLog, ContactSettings
from contacts.services import week_start
from schools.models import Pupil, SchoolDay
from schools.sql import date_param, execute, now_param

logger = logging.getLogger(__name__)

_SUCCESSFUL = sorted(SUCCESSFUL_OUTCOMES)
_IN_SUCCESSFUL = f"({', '.join(['%s'] * len(_SUCCESSFUL))})"

_RAISE = """
INSERT INTO {flag} (case_id, kind, period, raised_at, resolution)
SELECT c.id, %s, {period}, %s, ''
FROM {case} c
JOIN {pupil} p ON p.id = c.pupil_id
{joins}
WHERE {condition}
ON CONFLICT (case_id, kind, period) DO NOTHING
"""

_TIDY = """
UPDATE {flag} SET resolved_at = %s, resolution = %s
WHERE resolved_at IS NULL AND kind = %s AND NOT EXISTS (
    SELECT 1 FROM {case} c JOIN {pupil} p ON p.id = c.pupil_id
    {joins}
    WHERE c.id = {flag}.case_id AND {condition}
)
"""

# --- Daily contact missed (period: the day) --------------------------------------------------
# ``{day}`` is today when raising, and the flag's own period when tidying up: a flag stands
# while its day is still a school day inside the running case with no contact logged on it.
# Contacts stay due after the time limit while the case runs: the time-limit flag asks for a
# review, but a pupil still at home must still be contacted every school day.
_DAILY_MISSED = """c.status IN (%s, %s) AND c.start_date <= {day}
AND EXISTS (
    SELECT 1 FROM {school_day} d WHERE d.school_id = p.school_id AND d.date = {day}
) AND NOT EXISTS (
    SELECT 1 FROM {contact} l WHERE l.case_id = c.id AND l.contact_date = {day}
)"""

# --- Weekly wellbeing check overdue (period: the Monday of the week) ---------------------------
# Raised only when today is a school day of the pupil's school with no later school day in the
# same Monday-to-Sunday week; for a case running since the week's first school day and still
# running; with no wellbeing check logged from Monday to today.
_WELLBEING_OVERDUE = """c.status IN (%s, %s)
AND EXISTS (
    SELECT 1 FROM {school_day} d WHERE d.school_id = p.school_id AND d.date = %s
) AND NOT EXISTS (
    SELECT 1 FROM {school_day} d WHERE d.school_id = p.school_id AND d.date > %s AND d.date <= %s
) AND c.start_date <= (
    SELECT MIN(d.date) FROM {school_day} d
    WHERE d.school_id = p.school_id AND d.date >= %s AND d.date <= %s
) AND NOT EXISTS (
    SELECT 1 FROM {contact} l
    WHERE l.case_id = c.id AND l.kind = %s AND l.contact_date >= %s AND l.contact_date <= %s
)"""
# The flag stands while the case runs and no wellbeing check has been logged since its week
# began: the same answer contacts.services gives (a wellbeing check resolves every open one).
_WELLBEING_STANDS = """c.status IN (%s, %s) AND NOT EXISTS (
    SELECT 1 FROM {contact} l
    WHERE l.case_id = c.id AND l.kind = %s AND l.contact_date >= {flag}.period
)"""

# --- Family not responding (period: the day the family was last reached, or the start date) ---
# ``ok``: each case's last successful contact up to today (its time and its London date).
_LAST_REACHED = """LEFT JOIN (
    SELECT l.case_id, MAX(l.contacted_at) AS last_at, MAX(l.contact_date) AS last_date
    FROM {contact} l
    WHERE l.outcome IN {successful} AND l.contact_date <= %s
    GROUP BY l.case_id
) ok ON ok.case_id = c.id"""
_SETTINGS_JOIN = "LEFT JOIN {contact_settings} s ON s.school_id = p.school_id"
_SILENT_SINCE = "COALESCE(ok.last_date, c.start_date)"
# School days since the family was last reached (all the case's school days if never), and
# unsuccessful contacts logged after that success (all of them if never), up to today.
_NOT_RESPONDING = """c.status IN (%s, %s) AND c.start_date <= %s AND ((
    SELECT COUNT(*) FROM {school_day} d
    WHERE d.school_id = p.school_id AND d.date >= c.start_date AND d.date <= %s
    AND (ok.last_date IS NULL OR d.date > ok.last_date)
) >= COALESCE(s.no_response_school_days, %s) OR (
    SELECT COUNT(*) FROM {contact} l
    WHERE l.case_id = c.id AND l.outcome NOT IN {successful} AND l.contact_date <= %s
    AND (ok.last_at IS NULL OR l.contacted_at > ok.last_at)
) >= COALESCE(s.no_response_attempts, %s))"""
# The flag stands while the case runs and the family has not been reached since its period.
# The thresholds are left out on purpose: a school raising them should not withdraw flags.
_NOT_RESPONDING_STANDS = f"c.status IN (%s, %s) AND {_SILENT_SINCE} = {{flag}}.period"


def _tables() -> dict[str, str]:
    """Table names from the models, and the placeholders for the successful outcomes."""
    return {
        "successful": _IN_SUCCESSFUL,
        "flag": Flag._meta.db_table,
        "case": Case._meta.db_table,
        "pupil": Pupil._meta.db_table,
        "school_day": SchoolDay._meta.db_table,
        "contact": ContactLog._meta.db_table,
        "contact_settings": ContactSettings._meta.db_table,
    }


def _sql(template: str, **parts: str) -> str:
    """Fill a statement's table names from the models (never from input) and its parts."""
    tables = _tables()
    filled = {name: part.format(**tables) for name, part in parts.items()}
    return template.format(**tables, **filled)


def _rule(
    *,
    kind: str,
    tidy_joins: str = "",
    tidy_condition: str,
    tidy_params: list,
    period: str,
    period_params: list,
    joins: str = "",
    condition: str,
    params: list,
) -> int:
    """Resolve the open flags of ``kind`` that no longer meet ``tidy_condition``, then raise
    one for every case meeting ``condition``. Two statements, whatever the number of cases.

    Parameters are listed in the order their ``%s`` appear in the statement: the tidy-up's
    joins then condition; the raise's period, joins, then condition.
    """
    resolved = execute(
        _sql(_TIDY, joins=tidy_joins, condition=tidy_condition),
        [now_param(), NO_LONGER_APPLIES, kind, *tidy_params],
    )
    if resolved:
        logger.info("Contact rules: %s %s flag(s) no longer apply", resolved, kind)
    return execute(
        _sql(_RAISE, period=period, joins=joins, condition=condition),
        [kind, *period_params, now_param(), *params],
    )


@transaction.atomic
def flag_missed_daily_contacts(today: datetime.date) -> int:
    """Flag running cases with no contact logged today, when today is a school day of the
    pupil's school on or after the case's start date (also past its time limit: the pupil is
    still at home, and the time-limit flag is what asks for a review).

    Run after the school day has ended (the task runs at 16:30 Europe/London): any contact
    logged with today's London date answers it, and contacts.services resolves the flag when
    one is logged later. Period: the day, so each missed school day is flagged once.
    """
    day = date_param(today)
    return _rule(
        kind=FlagKind.DAILY_CONTACT_MISSED,
        tidy_condition=_DAILY_MISSED.replace("{day}", "{flag}.period"),
        tidy_params=[*RUNNING_STATUSES],
        period="%s",
        period_params=[day],
        condition=_DAILY_MISSED.replace("{day}", "%s"),
        params=[*RUNNING_STATUSES, day, day, day],
    )


@transaction.atomic
def flag_overdue_wellbeing_checks(today: datetime.date) -> int:
    """Flag running cases with no wellbeing check logged this school week.

    Does something only when ``today`` is the last school day of its Monday-to-Sunday week
    for the pupil's school (the statement decides, school by school), so the task may run
    every weekday: Thursday when Friday is a bank holiday, nothing in a week without school
    days. Cases that started after the week's first school day are left for the next week.
    A missed run is not caught up on a later day. Period: the Monday of the week.
    """
    monday = week_start(today)
    sunday = monday + datetime.timedelta(days=6)
    day = date_param(today)
    return _rule(
        kind=FlagKind.WELLBEING_CHECK_OVERDUE,
        tidy_condition=_WELLBEING_STANDS,
        tidy_params=[*RUNNING_STATUSES, ContactKind.WELLBEING],
        period="%s",
        period_params=[date_param(monday)],
        condition=_WELLBEING_OVERDUE,
        params=[
            *RUNNING_STATUSES,
            day,  # today is a school day
            day,  # ...and no later school day this week
            date_param(sunday),
            date_param(monday),  # the case started by the week's first school day
            day,
            ContactKind.WELLBEING,  # no wellbeing check from Monday to today
            date_param(monday),
            day,
        ],
    )


@transaction.atomic
def flag_families_not_responding(today: datetime.date) -> int:
    """Flag running cases whose family has not been reached for the school's number of
    school days in a row (ContactSettings.no_response_school_days, default 2) or attempts in
    a row (no_response_attempts, default 3): a home visit to arrange with SLT and the DSL.

    "Reached" means a contact with a successful outcome (spoke with the pupil or a carer).
    School days are counted after the day of the last success, or from the case's start date
    when the family has never been reached; attempts are the unsuccessful contacts logged
    after the last success. Weekends, bank holidays and INSET days are not school days, so
    they never count. A successful contact resolves the flag (contacts.services). Period: the
    date of the last success, or the start date: one flag per silent spell, and a new spell
    after the family is reached raises a new one. (A second spell that starts on the same day
    as a flagged one shares its period and is not flagged again.)
    """
    day = date_param(today)
    days_default = ContactSettings._meta.get_field("no_response_school_days").get_default()
    attempts_default = ContactSettings._meta.get_field("no_response_attempts").get_default()
    return _rule(
        kind=FlagKind.FAMILY_NOT_RESPONDING,
        tidy_joins=_LAST_REACHED,
        tidy_condition=_NOT_RESPONDING_STANDS,
        tidy_params=[*_SUCCESSFUL, day, *RUNNING_STATUSES],
        period=_SILENT_SINCE,
        period_params=[],
        joins=f"{_LAST_REACHED}\n{_SETTINGS_JOIN}",
        condition=_NOT_RESPONDING,
        params=[
            *_SUCCESSFUL,  # the join: last success up to today
            day,
            *RUNNING_STATUSES,
            day,  # started by today
            day,  # school days up to today
            days_default,
            *_SUCCESSFUL,  # unsuccessful contacts up to today
            day,
            attempts_default,
        ],
    )


# Run together by contacts.tasks.check_daily_contacts, after the end of the school day.
DAILY_RULES = {
    FlagKind.DAILY_CONTACT_MISSED: flag_missed_daily_contacts,
    FlagKind.FAMILY_NOT_RESPONDING: flag_families_not_responding,
}
# Run by contacts.tasks.check_weekly_wellbeing every weekday; it acts on the week's last.
WEEKLY_RULES = {
    FlagKind.WELLBEING_CHECK_OVERDUE: flag_overdue_wellbeing_checks,
}
RULES = {**DAILY_RULES, **WEEKLY_RULES}


def _run(rules: dict, today: datetime.date, label: str) -> dict[str, int]:
    counts = {str(kind): rule(today) for kind, rule in rules.items()}
    logger.info("Contact rules (%s) for %s raised %s", label, today.isoformat(), counts)
    return counts


def run_daily_contact_rules(today: datetime.date) -> dict[str, int]:
    """Missed daily contacts and families not responding, for ``today``."""
    return _run(DAILY_RULES, today, "daily")


def run_weekly_contact_rules(today: datetime.date) -> dict[str, int]:
    """Overdue wellbeing checks, for the week ending on ``today`` if it is its last school day."""
    return _run(WEEKLY_RULES, today, "weekly")
