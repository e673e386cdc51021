"""The flag engine itself: a rule raises once per case, kind and period, says how many flags
it raised and tidied, and resolves only the open flags of its own kind that no longer stand."""

import datetime as dt

import pytest

from cases.flags.engine import (
    NO_LONGER_APPLIES,
    FlagRule,
    RuleRun,
    Sql,
    all_of,
    period_rule,
    rule_run,
    running,
    sql,
)
from cases.models import Case, Flag, FlagKind
from tests.cases.flags.test_rules import SUMMER_FIRST_DAY, running_case, with_summer_term

KIND = FlagKind.TIME_LIMIT_PASSED


def started_by(day: dt.date) -> FlagRule:
    """Every running case started by ``day``, flagged for its start date."""
    return period_rule(
        kind=KIND, period="c.start_date", condition=running(), today=sql("c.start_date <= %s", day)
    )


def test_fragments_joined_by_and_keep_their_parameters_in_order():
    joined = all_of(sql("a = %s", 1), Sql(), sql("b IN (%s, %s)", 2, 3))
    assert joined.params == (1, 2, 3)
    assert joined.text.count("%s") == 3


def test_a_period_rule_stands_on_the_flags_own_period_without_todays_condition():
    rule = started_by(SUMMER_FIRST_DAY)
    assert "c.start_date = {flag}.period" in rule.stands.text
    assert "%s" not in rule.stands.text.replace("IN (%s, %s)", "")
    assert rule.condition.params[-1] == SUMMER_FIRST_DAY


@pytest.mark.django_db
def test_a_rule_raises_once_per_case_kind_and_period(world):
    case = running_case(with_summer_term(world))
    assert rule_run(started_by(SUMMER_FIRST_DAY)) == RuleRun(raised=1, tidied=0)
    assert rule_run(started_by(SUMMER_FIRST_DAY)) == RuleRun(raised=0, tidied=0)
    flag = Flag.objects.get(case=case)
    assert (flag.kind, flag.period, flag.is_open) == (KIND, SUMMER_FIRST_DAY, True)


@pytest.mark.django_db
def test_a_flag_that_no_longer_stands_is_tidied_and_other_kinds_are_left_alone(world):
    case = running_case(with_summer_term(world))
    rule_run(started_by(SUMMER_FIRST_DAY))
    other = Flag.objects.create(case=case, kind=FlagKind.REVIEW_OVERDUE, period=SUMMER_FIRST_DAY)
    # Its start moved by a route that did not resolve the flag, to after the rule's day.
    Case.objects.filter(pk=case.pk).update(start_date=SUMMER_FIRST_DAY + dt.timedelta(days=1))

    assert rule_run(started_by(SUMMER_FIRST_DAY)) == RuleRun(raised=0, tidied=1)
    tidied = Flag.objects.get(case=case, kind=KIND)
    assert (tidied.is_open, tidied.resolution) == (False, NO_LONGER_APPLIES)
    other.refresh_from_db()
    assert other.is_open
