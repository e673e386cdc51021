"""The weekly health and wellbeing check (policy section 3.2) counts only when someone spoke
with the pupil or a carer: a message left or no answer is an attempt, not a check. Today, the
overdue-check flag, the service that resolves it and the SLT report's figures all use the one
definition in contacts.models."""

import pytest
import time_machine
from django.db import connection

from cases.models import FlagKind
from contacts.models import (
    WELLBEING_CHECK_DONE,
    ContactKind,
    ContactLog,
    Outcome,
    wellbeing_check_done_sql,
)
from contacts.rules import flag_overdue_wellbeing_checks
from oversight.measures.contacts import contact_compliance, scope_classes
from oversight.measures.scope import Scope
from tests.conftest import client_for
from tests.contacts.test_rules import MONDAY, at, calendar, d, flags, log, running_case  # noqa: F401
from tests.contacts.test_today import add_contacts

NOT_SPOKEN_WITH = [Outcome.MESSAGE_LEFT, Outcome.NO_RESPONSE]


def test_the_query_and_the_sql_fragment_agree_on_every_kind_and_outcome(world):
    case = running_case(world)
    for kind in ContactKind.values:
        for outcome in Outcome.values:
            add_contacts(case, world.users["teacher"], 1, kind=kind, outcome=outcome)
    by_query = set(ContactLog.objects.filter(WELLBEING_CHECK_DONE).values_list("pk", flat=True))
    text, params = wellbeing_check_done_sql("l")
    with connection.cursor() as cursor:
        table = ContactLog._meta.db_table
        cursor.execute(f"SELECT l.id FROM {table} l WHERE {text}", params)  # noqa: S608
        by_sql = {row[0] for row in cursor.fetchall()}

    assert by_query == by_sql
    assert sorted(ContactLog.objects.filter(pk__in=by_query).values_list("outcome", flat=True)) == (
        sorted([Outcome.SPOKE_WITH_CARER, Outcome.SPOKE_WITH_PUPIL])
    )
    assert all(c.counts_as_wellbeing_check for c in ContactLog.objects.filter(pk__in=by_query))
    assert not any(c.counts_as_wellbeing_check for c in ContactLog.objects.exclude(pk__in=by_query))


@pytest.mark.parametrize("outcome", NOT_SPOKEN_WITH)
def test_a_check_nobody_answered_leaves_the_week_flagged(calendar, outcome):  # noqa: F811
    tried = running_case(calendar)
    spoken = running_case(calendar)
    log(calendar, tried, at(MONDAY, 10), kind=ContactKind.WELLBEING, outcome=outcome)
    log(calendar, spoken, at(MONDAY, 10), kind=ContactKind.WELLBEING)

    assert flag_overdue_wellbeing_checks(d(4, 2)) == 1
    assert flags(FlagKind.WELLBEING_CHECK_OVERDUE).get().case == tried


@pytest.mark.parametrize("outcome", NOT_SPOKEN_WITH)
def test_a_late_check_nobody_answered_does_not_resolve_the_flag(calendar, outcome):  # noqa: F811
    case = running_case(calendar)
    flag_overdue_wellbeing_checks(d(4, 2))

    log(calendar, case, at(d(4, 7), 10), kind=ContactKind.WELLBEING, outcome=outcome)
    assert flags(FlagKind.WELLBEING_CHECK_OVERDUE).get().is_open
    # The tidy-up agrees: the flag still stands.
    flag_overdue_wellbeing_checks(d(4, 7))
    assert flags(FlagKind.WELLBEING_CHECK_OVERDUE).get().is_open

    log(calendar, case, at(d(4, 7), 11), kind=ContactKind.WELLBEING)
    assert not flags(FlagKind.WELLBEING_CHECK_OVERDUE).get().is_open


@pytest.mark.parametrize("outcome", NOT_SPOKEN_WITH)
def test_today_keeps_the_check_due_until_someone_is_spoken_with(calendar, outcome):  # noqa: F811
    case = running_case(calendar, calendar.pupil)
    log(calendar, case, at(MONDAY, 10), kind=ContactKind.WELLBEING, outcome=outcome)
    with time_machine.travel(at(d(3, 31), 10), tick=False):
        row = client_for(calendar.users["teacher"]).get("/contacts/today/").context["rows"][0]
        assert row.wellbeing_due and row.suggested_kind == ContactKind.WELLBEING
    log(calendar, case, at(d(3, 31), 10), kind=ContactKind.WELLBEING)
    with time_machine.travel(at(d(3, 31), 11), tick=False):
        row = client_for(calendar.users["teacher"]).get("/contacts/today/").context["rows"][0]
        assert not row.wellbeing_due


def test_the_report_counts_only_checks_where_someone_was_spoken_with(calendar):  # noqa: F811
    spoken = running_case(calendar)
    tried = running_case(calendar)
    log(calendar, spoken, at(MONDAY, 10), kind=ContactKind.WELLBEING)
    log(calendar, tried, at(MONDAY, 10), kind=ContactKind.WELLBEING, outcome=Outcome.NO_RESPONSE)
    scope = Scope(calendar.school.pk)

    figures = contact_compliance(scope, MONDAY, d(4, 3), scope_classes(scope))

    assert (figures.total.checks_made, figures.total.checks_due) == (1, 2)
