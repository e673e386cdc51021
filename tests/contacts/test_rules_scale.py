"""Each contact rule costs the same number of SQL statements for ten cases as for a thousand."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import AttendanceCode, Basis, Case, Flag, FlagKind, Reason, Status
from contacts.models import Channel, ContactKind, ContactLog, ContactPlan, Outcome
from contacts.rules import (
    RULES,
    run_daily_contact_rules,
    run_extra_call_rules,
    run_weekly_contact_rules,
)
from schools.models import ClosureDay, ClosureKind, Pupil, Term
from schools.services import school_days_refresh
from tests.factories import SchoolClassFactory, UserFactory

MONDAY = dt.date(2026, 3, 30)
TODAY = dt.date(2026, 4, 2)  # Thursday, the week's last school day (Good Friday follows)
LONDON_TEN_AM = dt.time(9, tzinfo=dt.UTC)  # 10:00 BST


def add_cases(school_class, by, first: int, count: int) -> None:
    """``count`` pupils with a running case each, and their contacts, in three statements.

    Every third family was reached today with a wellbeing check; every third had three failed
    attempts today; the rest were never reached. The DSL team decided one extra call a day for
    every family reached today, so their single call falls short of it.
    """
    school = school_class.site.school
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=school,
            school_class=school_class,
            upn=f"C{n:011d}T",
            first_name=f"Pupil{n}",
            last_name="Scale",
            date_of_birth=dt.date(2015, 1, 1),
            has_ehc_plan=True,
        )
        for n in range(first, first + count)
    )
    cases = Case.objects.bulk_create(
        Case(
            pupil=pupil,
            basis=Basis.INDIVIDUAL,
            reason=Reason.SEND_OR_MENTAL_HEALTH,
            status=Status.ACTIVE,
            start_date=MONDAY,
            end_date=dt.date(2026, 4, 24),
            attendance_code=AttendanceCode.Y7,
            proposed_on=MONDAY,
            created_by=by,
        )
        for pupil in pupils
    )
    ContactPlan.objects.bulk_create(
        ContactPlan(case=case, extra_calls_per_day=1, decided_by=by, decided_reason="Scale test")
        for n, case in enumerate(cases, start=first)
        if n % 3 == 0
    )
    contacts = []
    for n, case in enumerate(cases, start=first):
        if n % 3 == 0:
            outcomes = [(Outcome.SPOKE_WITH_CARER, ContactKind.WELLBEING)]
        elif n % 3 == 1:
            outcomes = [(Outcome.NO_RESPONSE, ContactKind.DAILY)] * 3
        else:
            continue
        for minutes, (outcome, kind) in enumerate(outcomes):
            contacts.append(
                ContactLog(
                    case=case,
                    contacted_at=dt.datetime.combine(TODAY, LONDON_TEN_AM)
                    + dt.timedelta(minutes=minutes),
                    contact_date=TODAY,
                    staff=by,
                    channel=Channel.TELEPHONE,
                    kind=kind,
                    outcome=outcome,
                )
            )
    ContactLog.objects.bulk_create(contacts)


def statements_per_rule() -> dict[str, list[str]]:
    """The first word of every statement each rule sent to the database."""
    sent = {}
    for kind, rule in RULES.items():
        with CaptureQueriesContext(connection) as captured:
            rule(TODAY)
        sent[kind] = [query["sql"].split()[0].upper() for query in captured]
    return sent


@pytest.mark.django_db
def test_the_cost_of_each_rule_does_not_grow_with_the_number_of_cases():
    school_class = SchoolClassFactory()
    school = school_class.site.school
    Term.objects.create(
        school=school,
        name="Spring 2 2026",
        first_day=dt.date(2026, 3, 23),
        last_day=dt.date(2026, 4, 10),
    )
    ClosureDay.objects.create(school=school, date=dt.date(2026, 4, 1), kind=ClosureKind.INSET)
    school_days_refresh(school=school)
    by = UserFactory()

    add_cases(school_class, by, 0, 10)
    with_ten = statements_per_rule()
    kinds_raised_for_ten = set(Flag.objects.values_list("kind", flat=True))

    Flag.objects.all().delete()
    add_cases(school_class, by, 10, 990)
    with_a_thousand = statements_per_rule()

    assert with_a_thousand == with_ten
    # The tidy-up and the raise, inside the rule's transaction (a savepoint under the test's).
    for statements in with_ten.values():
        assert [s for s in statements if s not in {"SAVEPOINT", "RELEASE"}] == ["UPDATE", "INSERT"]
    assert kinds_raised_for_ten == set(RULES)
    # ...and they did the work: 334 reached today with a wellbeing check, 333 with three
    # failed attempts today, 333 never reached (three school days: Monday, Tuesday, Thursday).
    flagged = {
        kind: set(Flag.objects.filter(kind=kind).values_list("case__pupil__upn", flat=True))
        for kind in RULES
    }
    reached = {f"C{n:011d}T" for n in range(1000) if n % 3 == 0}
    everyone = {f"C{n:011d}T" for n in range(1000)}
    # Failed attempts are not a contact: their day had no daily contact either.
    assert flagged[FlagKind.DAILY_CONTACT_MISSED] == everyone - reached
    assert flagged[FlagKind.FAMILY_NOT_RESPONDING] == everyone - reached
    assert flagged[FlagKind.WELLBEING_CHECK_OVERDUE] == everyone - reached
    assert flagged[FlagKind.EXTRA_CALLS_SHORT] == reached
    again = {
        **run_daily_contact_rules(TODAY),
        **run_weekly_contact_rules(TODAY),
        **run_extra_call_rules(TODAY),
    }
    assert again == dict.fromkeys(RULES, 0)
