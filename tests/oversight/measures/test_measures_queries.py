"""The report's figures cost a fixed number of queries, whatever the number of pupils."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import AttendanceCode, Basis, Case, Provision, Reason, Status
from contacts.models import Channel, ContactKind, ContactLog, Outcome
from oversight.measures.governors import governor_figures, security_figures
from oversight.measures.scope import Scope
from oversight.measures.slt import slt_figures
from schools.models import Pupil
from tests.oversight.factories import AFTER_MARCH, LONDON, MARCH_END, MARCH_START, build_terms

TODAY = AFTER_MARCH.date()


def add_pupils_with_cases(world, first: int, count: int) -> None:
    """``count`` pupils in class A, each with a running case, March's contacts and provision."""
    by = world.users["teacher"]
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=world.school,
            school_class=world.class_a,
            upn=f"Q{n:011d}R",
            first_name=f"Many{n}",
            last_name="Scale",
            date_of_birth=datetime.date(2015, 1, 1),
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
            start_date=datetime.date(2026, 3, 2),
            end_date=datetime.date(2026, 5, 1),
            next_review_date=datetime.date(2026, 4, 1),
            attendance_code=AttendanceCode.Y7,
            proposed_on=datetime.date(2026, 3, 2),
            created_by=by,
        )
        for pupil in pupils
    )
    days = [datetime.date(2026, 3, d) for d in (2, 3, 4, 5, 6, 9)]
    ContactLog.objects.bulk_create(
        ContactLog(
            case=case,
            contacted_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=LONDON),
            contact_date=day,
            staff=by,
            channel=Channel.TELEPHONE,
            kind=ContactKind.WELLBEING if day.weekday() == 0 else ContactKind.DAILY,
            outcome=Outcome.SPOKE_WITH_CARER,
        )
        for case in cases
        for day in days
    )
    Provision.objects.bulk_create(
        Provision(case=case, date=day, sent_by_email=True, recorded_by=by)
        for case in cases
        for day in days
    )


def queries_for(run) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


@pytest.mark.parametrize(
    "scope",
    [
        lambda world: Scope(world.school.pk),
        lambda world: Scope(world.school.pk, site_id=world.north.pk),
        lambda world: Scope(world.school.pk, class_id=world.class_a.pk),
    ],
)
def test_the_slt_figures_cost_the_same_queries_for_2_pupils_as_for_60(world, scope):
    build_terms(world.school)
    add_pupils_with_cases(world, 0, 2)
    chosen = scope(world)

    def run():
        return slt_figures(chosen, MARCH_START, MARCH_END, today=TODAY, now=AFTER_MARCH)

    small = queries_for(run)
    add_pupils_with_cases(world, 100, 58)
    large = queries_for(run)

    assert small == large
    assert small == 18  # one or two per section (see oversight.measures)
    figures = run()
    assert figures.contacts.total.due == 60 * 20
    assert figures.contacts.total.made == 60 * 6
    assert figures.contacts.total.checks_due == 60 * 4
    assert figures.contacts.total.checks_made == 60 * 2
    assert figures.provision.days == 60 * 6
    assert figures.now.reviews_overdue == 60
    assert len(figures.attention) == 40  # capped


def test_the_governors_figures_cost_the_same_queries_for_2_pupils_as_for_60(world):
    build_terms(world.school)
    add_pupils_with_cases(world, 0, 2)

    def run():
        governor_figures(world.school.pk, TODAY)
        security_figures(world.school.pk, datetime.date(2026, 4, 13))

    small = queries_for(run)
    add_pupils_with_cases(world, 100, 58)

    assert queries_for(run) == small
    figures = governor_figures(world.school.pk, TODAY)
    spring = [term.name for term in figures.terms].index("Spring 2026")
    school = figures.blocks[0]
    assert school.title == "Whole school"
    opened = next(row for row in school.rows if row.label == "Remote-education cases opened")
    assert opened.values[spring] == "60"
