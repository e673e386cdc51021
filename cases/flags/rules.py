"""Scheduled checks on remote-education cases: overdue reviews, time limits passed, agreements
missing.

Each rule is one tidy-up and one raise through the flag engine (cases.flags.engine): two
statements whatever the number of cases, and running it again raises nothing new. A flag
stands while its case still meets the rule for the flag's period (the review date, the time
limit, the day of the proposal); closing or starting the case, or moving the date by a route
that did not resolve the flag, lets the tidy-up resolve it.
"""

import datetime

from cases.flags.engine import all_of, period_rule, rule_run, rules_run, running, sql
from cases.models import (
    HEALTH_QUESTION_REASONS,
    MEDICAL_REASONS,
    Agreement,
    CaseSettings,
    FlagKind,
    Party,
    Status,
)
from schools.sql import date_param

_MEDICAL = sorted(MEDICAL_REASONS)
_HEALTH_QUESTION = sorted(HEALTH_QUESTION_REASONS)


def flag_overdue_reviews(today: datetime.date) -> int:
    """Flag running cases whose next review date has passed without a review being held.

    Holding the review resolves the flag (services.review_record). Period: the review date,
    so each missed review date is flagged once.
    """
    rule = period_rule(
        kind=FlagKind.REVIEW_OVERDUE,
        period="c.next_review_date",
        condition=all_of(running(), sql("c.next_review_date IS NOT NULL")),
        today=sql("c.next_review_date < %s", date_param(today)),
    )
    return rule_run(rule).raised


def flag_time_limits_passed(today: datetime.date) -> int:
    """Flag running cases whose time limit is today or has passed: return, extend or close.

    Extending it at a review or closing the case resolves the flag. Period: the time limit,
    so an extended limit that passes in its turn is flagged again.
    """
    rule = period_rule(
        kind=FlagKind.TIME_LIMIT_PASSED,
        period="c.end_date",
        condition=running(),
        today=sql("c.end_date <= %s", date_param(today)),
    )
    return rule_run(rule).raised


# A proposal lacking a required agreement. The parties are those of
# cases.services.required_parties, and a test keeps the two in step: school, carers and pupil
# always; a medical professional for a medical reason unless the case says why not, and for
# SEND or mental health when staff said a health professional should agree; the local
# authority for a pupil with an EHC plan or a social worker.
_LACKS = "NOT EXISTS (SELECT 1 FROM {agreement} a WHERE a.case_id = c.id AND a.party = %s)"
_AGREEMENTS_MISSING = f"""c.status = %s AND (
    {_LACKS} OR {_LACKS} OR {_LACKS}
    OR (c.reason IN ({", ".join(["%s"] * len(_MEDICAL))})
        AND TRIM(c.medical_agreement_not_needed) = '' AND {_LACKS})
    OR (c.reason IN ({", ".join(["%s"] * len(_HEALTH_QUESTION))})
        AND c.health_professional_should_agree = %s AND {_LACKS})
    OR ((p.has_ehc_plan = %s OR p.social_worker_name <> '') AND {_LACKS})
)"""
# ...once the school's grace, in its own school days after the proposal, has run out.
_GRACE_JOIN = "LEFT JOIN {case_settings} s ON s.school_id = p.school_id"
_GRACE_RUN_OUT = """(
    SELECT COUNT(*) FROM {school_day} d
    WHERE d.school_id = p.school_id AND d.date > c.proposed_on AND d.date <= %s
) >= COALESCE(s.agreement_grace_school_days, %s)"""


def flag_missing_agreements(today: datetime.date) -> int:
    """Flag proposals still missing agreements once the school's grace period has passed.

    The grace is counted in the school's own school days after the day of the proposal
    (CaseSettings.agreement_grace_school_days, or that field's default for a school that has
    not saved its settings). Starting the case resolves the flag. Period: the day it was
    proposed. The flag stands without the grace on purpose: a school lengthening its grace
    should not withdraw flags already raised.
    """
    default_grace = CaseSettings._meta.get_field("agreement_grace_school_days").get_default()
    rule = period_rule(
        kind=FlagKind.AGREEMENTS_MISSING,
        period="c.proposed_on",
        condition=sql(
            _AGREEMENTS_MISSING,
            Status.PROPOSED,
            Party.SCHOOL,
            Party.CARERS,
            Party.PUPIL,
            *_MEDICAL,
            Party.MEDICAL,
            *_HEALTH_QUESTION,
            True,
            Party.MEDICAL,
            True,
            Party.LOCAL_AUTHORITY,
        ),
        joins=sql(_GRACE_JOIN),
        today=sql(_GRACE_RUN_OUT, date_param(today), default_grace),
        tables={"agreement": Agreement, "case_settings": CaseSettings},
    )
    return rule_run(rule).raised


RULES = {
    FlagKind.REVIEW_OVERDUE: flag_overdue_reviews,
    FlagKind.TIME_LIMIT_PASSED: flag_time_limits_passed,
    FlagKind.AGREEMENTS_MISSING: flag_missing_agreements,
}


def run_case_rules(today: datetime.date) -> dict[str, int]:
    """Run every case rule for ``today``; the number of flags each raised."""
    return rules_run(RULES, today, "Case")
