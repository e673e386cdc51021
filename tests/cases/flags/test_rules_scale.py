"""Each rule costs the same number of SQL statements for ten cases as for a thousand."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.flags.rules import RULES, run_case_rules
from cases.models import AttendanceCode, Basis, Case, Flag, FlagKind, Reason, Status
from schools.models import Pupil, Term
from schools.services import school_days_refresh
from tests.factories import SchoolClassFactory, UserFactory

TODAY = dt.date(2026, 5, 20)
STATUSES = (Status.PROPOSED, Status.ACTIVE, Status.REINTEGRATING)


def add_cases(school_class, by, first: int, count: int) -> None:
    """``count`` pupils and a case each, in three statements: every third case a proposal
    waiting since April, the rest running with a review and a time limit already passed."""
    school = school_class.site.school
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=school,
            school_class=school_class,
            upn=f"S{n:011d}T",
            first_name=f"Pupil{n}",
            last_name="Scale",
            date_of_birth=dt.date(2015, 1, 1),
            has_ehc_plan=True,
        )
        for n in range(first, first + count)
    )
    Case.objects.bulk_create(
        Case(
            pupil=pupil,
            basis=Basis.INDIVIDUAL,
            reason=Reason.SEND_OR_MENTAL_HEALTH,
            status=STATUSES[n % 3],
            start_date=dt.date(2026, 4, 20),
            end_date=dt.date(2026, 5, 15),
            next_review_date=dt.date(2026, 5, 4) + dt.timedelta(days=n % 7),
            attendance_code=AttendanceCode.Y7,
            proposed_on=dt.date(2026, 4, 14),
            created_by=by,
        )
        for n, pupil in enumerate(pupils, start=first)
    )


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
        school=school, name="Summer 2026", first_day=dt.date(2026, 4, 13), last_day=TODAY
    )
    school_days_refresh(school=school)
    by = UserFactory()

    add_cases(school_class, by, 0, 10)
    with_ten = statements_per_rule()
    raised_for_ten = Flag.objects.count()

    Flag.objects.all().delete()
    add_cases(school_class, by, 10, 990)
    with_a_thousand = statements_per_rule()

    assert with_a_thousand == with_ten
    # The tidy-up and the raise, inside the rule's transaction (a savepoint under the test's).
    for statements in with_ten.values():
        assert [s for s in statements if s not in {"SAVEPOINT", "RELEASE"}] == ["UPDATE", "INSERT"]
    # ...and they did the work: every running case flagged twice, every proposal once.
    assert raised_for_ten == 2 * 6 + 4
    running = Case.objects.filter(status__in=(Status.ACTIVE, Status.REINTEGRATING)).count()
    proposed = Case.objects.filter(status=Status.PROPOSED).count()
    assert running + proposed == 1000
    assert Flag.objects.filter(kind=FlagKind.REVIEW_OVERDUE).count() == running
    assert Flag.objects.filter(kind=FlagKind.TIME_LIMIT_PASSED).count() == running
    assert Flag.objects.filter(kind=FlagKind.AGREEMENTS_MISSING).count() == proposed
    assert run_case_rules(TODAY) == dict.fromkeys(RULES, 0)
