"""Scheduled checks on contact with families (policy section 3.2): each rule raises flags in
one SQL statement.

- **Daily contact missed**: a running case with no contact logged on a school day of its
  pupil's school. Run after the end of the school day.
- **Weekly wellbeing check overdue**: a running case with no wellbeing check done in the
  school week (one where someone spoke with the pupil or a carer). Checked on the last
  school day of the week only (a bank-holiday Friday moves it to Thursday); a week without
  school days checks nothing.
- **Extra calls short**: on a school day that the DSL team's plan names for extra calls (its
  weekdays, or every school day), fewer calls were made than decided. N extra calls mean the
  daily contact and N calls beyond it: at least N calls (telephone or Teams video, answered
  or not) and N + 1 contacts in all. Run after the end of the school day.
- **Family not responding**: nobody has reached the pupil or a carer for the school's number
  of school days in a row, or the school's number of attempts in a row, since the family was
  last reached (or since the case started, if never). The flag asks SLT and the DSL to
  arrange a home visit; both see it through the case's visibility scope.

Each rule is one tidy-up and one raise through the flag engine (cases.flags.engine): two
statements whatever the number of cases, and running it again raises nothing new. The tidy-up
resolves the open flags of its kind that no longer stand (the case was closed, or a contact
was logged by a route that did not resolve the flag); ``contacts.services`` resolves flags
when a contact answers them, so the tidy-up only catches what it could not see.

School days are the SchoolDay rows of the pupil's school (terms less weekends, bank holidays
of England and Wales, INSET and closure days), and contacts are matched on
``ContactLog.contact_date``, the Europe/London date of the contact, so no statement does any
time-zone or calendar arithmetic: the clock changes cannot move a contact to the wrong day.
``today`` is the Europe/London date (``schools.calendar.today``).
"""

import datetime

from cases.flags.engine import FlagRule, all_of, rule_run, rules_run, running, sql
from cases.models import FlagKind
from contacts.models import (
    CALL_CHANNELS,
    DAILY_CONTACT_MADE_DAY_USES,
    SUCCESSFUL_OUTCOMES,
    ContactLog,
    ContactPlan,
    ContactSettings,
    FamilyReport,
    daily_contact_made_sql,
    wellbeing_check_done_sql,
)
from contacts.services import week_start
from schools.sql import date_param

_SUCCESSFUL = sorted(SUCCESSFUL_OUTCOMES)


def _with_successful(fragment: str) -> str:
    """``{successful}`` replaced by a placeholder for each successful outcome."""
    return fragment.replace("{successful}", f"({', '.join(['%s'] * len(_SUCCESSFUL))})")


# The contact tables the statements name, beside the engine's own.
_TABLES = {
    "contact": ContactLog,
    "contact_settings": ContactSettings,
    "plan": ContactPlan,
    "family_report": FamilyReport,
}

# --- Daily contact missed (period: the day) --------------------------------------------------
# ``{day}`` is today when raising, and the flag's own period when tidying up: a flag stands
# while its day is still a school day inside the running case with no contact logged on it.
# Contacts stay due after the time limit while the case runs: the time-limit flag asks for a
# review, but a pupil still at home must still be contacted every school day.
# "Contact made" is the one definition in contacts.models (daily_contact_made_sql): a contact
# logged that day, or the family's own report where the school counts it.
_DAILY_MISSED = """c.start_date <= {day}
AND EXISTS (
    SELECT 1 FROM {school_day} d WHERE d.school_id = p.school_id AND d.date = {day}
) AND NOT {contact_made}""".replace("{contact_made}", daily_contact_made_sql("{day}"))
# How many times the day is named in _DAILY_MISSED.
_DAILY_MISSED_DAY_USES = 2 + DAILY_CONTACT_MADE_DAY_USES

# --- Weekly wellbeing check overdue (period: the Monday of the week) ---------------------------
# Raised only when today is a school day of the pupil's school with no later school day in the
# same Monday-to-Sunday week; for a case running since the week's first school day and still
# running; with no wellbeing check done from Monday to today (``{check_done}``: someone spoke
# with the pupil or a carer, contacts.models.wellbeing_check_done_sql).
_WELLBEING_OVERDUE = """EXISTS (
    SELECT 1 FROM {school_day} d WHERE d.school_id = p.school_id AND d.date = %s
) AND NOT EXISTS (
    SELECT 1 FROM {school_day} d WHERE d.school_id = p.school_id AND d.date > %s AND d.date <= %s
) AND c.start_date <= (
    SELECT MIN(d.date) FROM {school_day} d
    WHERE d.school_id = p.school_id AND d.date >= %s AND d.date <= %s
) AND NOT EXISTS (
    SELECT 1 FROM {contact} l
    WHERE l.case_id = c.id AND {check_done} AND l.contact_date >= %s AND l.contact_date <= %s
)"""
# The flag stands while the case runs and no wellbeing check has been logged since its week
# began: the same answer contacts.services gives (a wellbeing check resolves every open one).
_WELLBEING_STANDS = """NOT EXISTS (
    SELECT 1 FROM {contact} l
    WHERE l.case_id = c.id AND {check_done} AND l.contact_date >= {flag}.period
)"""

# --- Extra calls short (period: the day) -------------------------------------------------------
# ``pl`` is the case's contact plan, which holds the DSL team's current decision. ``{day}`` is
# today when raising and the flag's period when tidying up. The calls are the contacts through
# a call channel (``{calls}``), answered or not.
_PLAN_JOIN = "JOIN {plan} pl ON pl.case_id = c.id"
_EXTRA_CALLS_SHORT = """pl.extra_calls_per_day > 0 AND c.start_date <= {day}
AND EXISTS (
    SELECT 1 FROM {school_day} d WHERE d.school_id = p.school_id AND d.date = {day}
) AND ((
    SELECT COUNT(*) FROM {contact} l
    WHERE l.case_id = c.id AND l.contact_date = {day} AND l.channel IN {calls}
) < pl.extra_calls_per_day OR (
    SELECT COUNT(*) FROM {contact} l WHERE l.case_id = c.id AND l.contact_date = {day}
) < pl.extra_calls_per_day + 1)"""
# The plan's weekdays ('0,2', Monday=0; blank: every school day), matched against today's
# weekday worked out in Python, so that no statement does calendar arithmetic.
_ON_PLAN_WEEKDAY = "(pl.extra_call_weekdays = '' OR (',' || pl.extra_call_weekdays || ',') LIKE %s)"


def _short_on(day: str) -> str:
    calls = f"({', '.join(['%s'] * len(CALL_CHANNELS))})"
    return _EXTRA_CALLS_SHORT.replace("{day}", day).replace("{calls}", calls)


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
_NOT_RESPONDING = """c.start_date <= %s AND ((
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
_NOT_RESPONDING_STANDS = f"{_SILENT_SINCE} = {{flag}}.period"


def flag_missed_daily_contacts(today: datetime.date) -> int:
    """Flag running cases with no contact logged today, when today is a school day of the
    pupil's school on or after the case's start date (also past its time limit: the pupil is
    still at home, and the time-limit flag is what asks for a review).

    Run after the school day has ended (the task runs at 16:30 Europe/London): any contact
    logged with today's London date answers it (or the family's own report about the day,
    where the school's contact settings count it: contacts.models.daily_contact_made_sql),
    and contacts.services resolves the flag when one is logged later. Period: the day, so
    each missed school day is flagged once.
    """
    day = date_param(today)
    rule = FlagRule(
        kind=FlagKind.DAILY_CONTACT_MISSED,
        period=sql("%s", day),
        condition=all_of(
            running(),
            sql(_DAILY_MISSED.replace("{day}", "%s"), *[day] * _DAILY_MISSED_DAY_USES),
        ),
        stands=all_of(running(), sql(_DAILY_MISSED.replace("{day}", "{flag}.period"))),
        tables=_TABLES,
    )
    return rule_run(rule).raised


def _with_check_done(fragment: str) -> tuple[str, list[str]]:
    """``{check_done}`` replaced by the one definition of a wellbeing check done."""
    text, params = wellbeing_check_done_sql("l")
    return fragment.replace("{check_done}", text), params


def flag_overdue_wellbeing_checks(today: datetime.date) -> int:
    """Flag running cases with no wellbeing check done this school week (a check counts when
    someone spoke with the pupil or a carer: contacts.models.WELLBEING_CHECK_DONE).

    Does something only when ``today`` is the last school day of its Monday-to-Sunday week
    for the pupil's school (the statement decides, school by school), so the task may run
    every weekday: Thursday when Friday is a bank holiday, nothing in a week without school
    days. Cases that started after the week's first school day are left for the next week.
    A missed run is not caught up on a later day. Period: the Monday of the week.
    """
    monday = date_param(week_start(today))
    sunday = date_param(week_start(today) + datetime.timedelta(days=6))
    day = date_param(today)
    overdue, check_done = _with_check_done(_WELLBEING_OVERDUE)
    stands, _ = _with_check_done(_WELLBEING_STANDS)
    rule = FlagRule(
        kind=FlagKind.WELLBEING_CHECK_OVERDUE,
        period=sql("%s", monday),
        condition=all_of(
            running(),
            sql(
                overdue,
                day,  # today is a school day
                day,  # ...and no later school day this week
                sunday,
                monday,  # the case started by the week's first school day
                day,
                *check_done,  # no wellbeing check done from Monday to today
                monday,
                day,
            ),
        ),
        stands=all_of(running(), sql(stands, *check_done)),
        tables=_TABLES,
    )
    return rule_run(rule).raised


def flag_extra_calls_short(today: datetime.date) -> int:
    """Flag running cases whose plan has extra calls on ``today`` (a school day of the pupil's
    school and one of the plan's weekdays, or any school day when none are named) with fewer
    calls, or fewer contacts in all, than the daily contact and the extra calls decided.

    Run after the school day has ended (16:30 Europe/London). A flag stands while the day is
    still a school day with too few calls logged against the plan as it now stands; the
    weekday is left out of that, so ticking a day off later does not withdraw a flag. Period:
    the day, so each short day is flagged once.
    """
    day = date_param(today)
    weekday = f"%,{today.weekday()},%"
    rule = FlagRule(
        kind=FlagKind.EXTRA_CALLS_SHORT,
        period=sql("%s", day),
        joins=sql(_PLAN_JOIN),
        condition=all_of(
            running(),
            sql(_ON_PLAN_WEEKDAY, weekday),
            sql(_short_on("%s"), day, day, day, *CALL_CHANNELS, day),
        ),
        stands_joins=sql(_PLAN_JOIN),
        stands=all_of(running(), sql(_short_on("{flag}.period"), *CALL_CHANNELS)),
        tables=_TABLES,
    )
    return rule_run(rule).raised


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
    last_reached = sql(_with_successful(_LAST_REACHED), *_SUCCESSFUL, day)
    rule = FlagRule(
        kind=FlagKind.FAMILY_NOT_RESPONDING,
        period=sql(_SILENT_SINCE),
        joins=sql(f"{last_reached.text}\n{_SETTINGS_JOIN}", *last_reached.params),
        condition=all_of(
            running(),
            sql(
                _with_successful(_NOT_RESPONDING),
                day,  # started by today
                day,  # school days up to today
                days_default,
                *_SUCCESSFUL,  # unsuccessful contacts up to today
                day,
                attempts_default,
            ),
        ),
        stands_joins=last_reached,
        stands=all_of(running(), sql(_NOT_RESPONDING_STANDS)),
        tables=_TABLES,
    )
    return rule_run(rule).raised


# Run together by contacts.tasks.check_daily_contacts, after the end of the school day.
DAILY_RULES = {
    FlagKind.DAILY_CONTACT_MISSED: flag_missed_daily_contacts,
    FlagKind.FAMILY_NOT_RESPONDING: flag_families_not_responding,
}
# Run by contacts.tasks.check_weekly_wellbeing every weekday; it acts on the week's last.
WEEKLY_RULES = {
    FlagKind.WELLBEING_CHECK_OVERDUE: flag_overdue_wellbeing_checks,
}
# Run by contacts.tasks.check_extra_calls, after the end of the school day.
EXTRA_CALL_RULES = {
    FlagKind.EXTRA_CALLS_SHORT: flag_extra_calls_short,
}
RULES = {**DAILY_RULES, **WEEKLY_RULES, **EXTRA_CALL_RULES}


def run_daily_contact_rules(today: datetime.date) -> dict[str, int]:
    """Missed daily contacts and families not responding, for ``today``."""
    return rules_run(DAILY_RULES, today, "Contact (daily)")


def run_weekly_contact_rules(today: datetime.date) -> dict[str, int]:
    """Overdue wellbeing checks, for the week ending on ``today`` if it is its last school day."""
    return rules_run(WEEKLY_RULES, today, "Contact (weekly)")


def run_extra_call_rules(today: datetime.date) -> dict[str, int]:
    """Extra calls decided by the DSL team and not made, for ``today``."""
    return rules_run(EXTRA_CALL_RULES, today, "Contact (extra calls)")
