"""Scheduled checks on remote-education cases: each rule raises flags in one SQL statement.

A rule is a set-based ``INSERT INTO cases_flag ... SELECT ... ON CONFLICT DO NOTHING``: it
costs the same few statements whether a school has ten cases or ten thousand, and the
unique constraint on (case, kind, period) makes running it again raise nothing new. A flag
someone resolved stays resolved for its period; a new period (a new review date, a new time
limit) raises a new flag.

Beside each rule is a tidy-up ``UPDATE`` that resolves the open flags of its kind whose
condition no longer holds (the case was closed or started, or its date was moved by a route
that did not resolve the flag itself). The services resolve flags when they answer them;
the tidy-up only catches what they could not see.

The SQL below names tables through ``{placeholders}`` filled from the models' ``_meta``;
every value (kinds, statuses, dates, the time) is passed to the driver as a parameter. The
statements run unchanged on PostgreSQL and on SQLite 3.24 or later (which added
``ON CONFLICT``; SQLite needs the ``WHERE`` clause every SELECT here has, to tell the
upsert's ``ON`` from a join's).
"""

import datetime
import logging

from django.db import transaction

from cases.models import (
    MEDICAL_REASONS,
    Agreement,
    Case,
    CaseSettings,
    Flag,
    FlagKind,
    Party,
    Status,
)
from schools.models import Pupil, SchoolDay
from schools.sql import date_param, execute, now_param

logger = logging.getLogger(__name__)

NO_LONGER_APPLIES = "No longer applies"
# Statuses in which a case is running: reviews fall due and the time limit counts.
RUNNING_STATUSES = (Status.ACTIVE, Status.REINTEGRATING)
_MEDICAL = sorted(MEDICAL_REASONS)

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
    WHERE c.id = {flag}.case_id AND {period} = {flag}.period AND {condition}
)
"""

# A running case whose review date has passed (period: the review date).
_REVIEW_OVERDUE = "c.status IN (%s, %s) AND c.next_review_date IS NOT NULL"
_REVIEW_OVERDUE_TODAY = " AND c.next_review_date < %s"

# A running case whose time limit is today or has passed (period: the time limit).
_TIME_LIMIT_PASSED = "c.status IN (%s, %s)"
_TIME_LIMIT_PASSED_TODAY = " AND c.end_date <= %s"

# A proposal lacking a required agreement (period: the day it was proposed). The parties are
# those of cases.services.required_parties, and a test keeps the two in step: school, carers
# and pupil always; a medical professional for a medical reason unless the case says why
# not; the local authority for a pupil with an EHC plan or a social worker.
_LACKS = "NOT EXISTS (SELECT 1 FROM {agreement} a WHERE a.case_id = c.id AND a.party = %s)"
_AGREEMENTS_MISSING = f"""c.status = %s AND (
    {_LACKS} OR {_LACKS} OR {_LACKS}
    OR (c.reason IN ({", ".join(["%s"] * len(_MEDICAL))})
        AND TRIM(c.medical_agreement_not_needed) = '' AND {_LACKS})
    OR ((p.has_ehc_plan = %s OR p.social_worker_name <> '') AND {_LACKS})
)"""
# ...once the school's grace, in its own school days after the proposal, has run out.
_GRACE_JOIN = "LEFT JOIN {case_settings} s ON s.school_id = p.school_id"
_GRACE_RUN_OUT = """ AND (
    SELECT COUNT(*) FROM {school_day} d
    WHERE d.school_id = p.school_id AND d.date > c.proposed_on AND d.date <= %s
) >= COALESCE(s.agreement_grace_school_days, %s)"""


def _sql(template: str, **parts: str) -> str:
    """Fill a statement's table names from the models (never from input) and its parts."""
    tables = {
        "flag": Flag._meta.db_table,
        "case": Case._meta.db_table,
        "pupil": Pupil._meta.db_table,
        "agreement": Agreement._meta.db_table,
        "case_settings": CaseSettings._meta.db_table,
        "school_day": SchoolDay._meta.db_table,
    }
    filled = {name: part.format(**tables) for name, part in parts.items()}
    return template.format(**tables, **filled)


def _rule(
    *,
    kind: str,
    period: str,
    condition: str,
    params: list,
    today_condition: str,
    today_params: list,
    joins: str = "",
) -> int:
    """Resolve the open flags of ``kind`` whose case no longer meets ``condition`` for the
    flag's period, then raise one for every case meeting ``condition`` and
    ``today_condition``. Two statements, whatever the number of cases."""
    resolved = execute(
        _sql(_TIDY, period=period, condition=condition),
        [now_param(), NO_LONGER_APPLIES, kind, *params],
    )
    if resolved:
        logger.info("Case rules: %s %s flag(s) no longer apply", resolved, kind)
    return execute(
        _sql(_RAISE, period=period, joins=joins, condition=condition + today_condition),
        [kind, now_param(), *params, *today_params],
    )


@transaction.atomic
def flag_overdue_reviews(today: datetime.date) -> int:
    """Flag running cases whose next review date has passed without a review being held.

    Holding the review resolves the flag (services.review_record). Period: the review date,
    so each missed review date is flagged once.
    """
    return _rule(
        kind=FlagKind.REVIEW_OVERDUE,
        period="c.next_review_date",
        condition=_REVIEW_OVERDUE,
        params=[*RUNNING_STATUSES],
        today_condition=_REVIEW_OVERDUE_TODAY,
        today_params=[date_param(today)],
    )


@transaction.atomic
def flag_time_limits_passed(today: datetime.date) -> int:
    """Flag running cases whose time limit is today or has passed: return, extend or close.

    Extending it at a review or closing the case resolves the flag. Period: the time limit,
    so an extended limit that passes in its turn is flagged again.
    """
    return _rule(
        kind=FlagKind.TIME_LIMIT_PASSED,
        period="c.end_date",
        condition=_TIME_LIMIT_PASSED,
        params=[*RUNNING_STATUSES],
        today_condition=_TIME_LIMIT_PASSED_TODAY,
        today_params=[date_param(today)],
    )


@transaction.atomic
def flag_missing_agreements(today: datetime.date) -> int:
    """Flag proposals still missing agreements once the school's grace period has passed.

    The grace is counted in the school's own school days after the day of the proposal
    (CaseSettings.agreement_grace_school_days, or that field's default for a school that has
    not saved its settings). Starting the case resolves the flag. Period: the day it was
    proposed. The tidy-up leaves the grace out on purpose: a school lengthening its grace
    should not withdraw flags already raised.
    """
    default_grace = CaseSettings._meta.get_field("agreement_grace_school_days").get_default()
    return _rule(
        kind=FlagKind.AGREEMENTS_MISSING,
        period="c.proposed_on",
        condition=_AGREEMENTS_MISSING,
        params=[
            Status.PROPOSED,
            Party.SCHOOL,
            Party.CARERS,
            Party.PUPIL,
            *_MEDICAL,
            Party.MEDICAL,
            True,
            Party.LOCAL_AUTHORITY,
        ],
        joins=_GRACE_JOIN,
        today_condition=_GRACE_RUN_OUT,
        today_params=[date_param(today), default_grace],
    )


RULES = {
    FlagKind.REVIEW_OVERDUE: flag_overdue_reviews,
    FlagKind.TIME_LIMIT_PASSED: flag_time_limits_passed,
    FlagKind.AGREEMENTS_MISSING: flag_missing_agreements,
}


def run_case_rules(today: datetime.date) -> dict[str, int]:
    """Run every case rule for ``today``; the number of flags each raised."""
    counts = {str(kind): rule(today) for kind, rule in RULES.items()}
    logger.info("Case rules for %s raised %s", today.isoformat(), counts)
    return counts
