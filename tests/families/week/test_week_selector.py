"""The child's week as the family portal reads it: school days only, what was sent and the
teacher's web links, sessions with their meeting link only where the family agreed for that
day, in a fixed number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Provision, Status
from core.actor import Actor
from families.week.selectors import child_week
from safeguarding.models import SessionKind, VirtualSession
from safeguarding.sessions.services import session_agreement_give_by_carer
from tests.cases.closures.matrix import build_calendar, london
from tests.families.agreements.helpers import AUTUMN_DAY, carer_account, open_case

MONDAY = datetime.date(2026, 11, 30)
WEEK_DAYS = [MONDAY + datetime.timedelta(days=n) for n in range(5)]


@pytest.fixture
def autumn(world):
    build_calendar(world.school)
    with time_machine.travel(AUTUMN_DAY, tick=False) as traveller:
        yield traveller


def provide(case, day, **fields) -> Provision:
    return Provision.objects.create(
        case=case, date=day, recorded_by=case.created_by, **{"sent_by_email": True, **fields}
    )


def session(world, at, *, title="Story time", kind=SessionKind.LIVE, pupils=None):
    created = VirtualSession.objects.create(
        school=world.school,
        kind=kind,
        title=title,
        starts_at=at,
        minutes=30,
        meeting_link="https://teams.example/meet/abc" if kind == SessionKind.LIVE else "",
        planned_by=world.users["teacher"],
    )
    created.pupils.set(pupils or [world.pupil])
    return created


def carer_agrees(world):
    session_agreement_give_by_carer(
        actor=Actor.for_user(carer_account(world.carer)),
        pupil=world.pupil,
        carer=world.carer,
        no_recordings=True,
        confidentiality=True,
        parent_present=True,
        dress_and_language=True,
        expectations_known=True,
        household_not_seen_or_heard=True,
    )


def test_the_week_is_its_school_days_with_what_was_sent(world, autumn):
    case = open_case(world)
    provide(
        case,
        WEEK_DAYS[1],
        sent_as_work_pack=True,
        visual_timetable_sent=True,
        work_links="https://learning.example/phonics\njavascript:alert(1)\nftp://files.example/x",
        feedback="Staff note about how it went",
    )
    week = child_week(world.pupil, WEEK_DAYS[2])

    assert week.monday == MONDAY
    assert [day.date for day in week.days] == WEEK_DAYS
    tuesday = week.days[1]
    assert tuesday.provision.sent == [
        "Planning and activities emailed to you",
        "A work pack sent home",
        "A visual timetable",
    ]
    assert tuesday.provision.links == ["https://learning.example/phonics"]
    assert week.days[0].provision is None
    assert week.case == case


def test_a_holiday_week_has_no_school_days(world, autumn):
    open_case(world)
    week = child_week(world.pupil, datetime.date(2026, 12, 21))  # Christmas week, two bank days
    assert [day.date for day in week.days] == [
        datetime.date(2026, 12, 21),
        datetime.date(2026, 12, 22),
        datetime.date(2026, 12, 23),
        datetime.date(2026, 12, 24),
    ]
    week = child_week(world.pupil, datetime.date(2027, 1, 4))  # INSET day on the Monday
    assert datetime.date(2027, 1, 4) not in [day.date for day in week.days]


def test_without_an_open_case_there_is_no_provision(world, autumn):
    case = open_case(world)
    provide(case, WEEK_DAYS[0])
    case.status = Status.WITHDRAWN
    case.save()
    week = child_week(world.pupil, MONDAY)
    assert week.case is None
    assert week.nothing_recorded


def test_the_meeting_link_only_for_sessions_the_family_agreed_to(world, autumn):
    open_case(world)
    session(world, london(2026, 12, 4, 14, 0), title="Agreed this term")
    week = child_week(world.pupil, MONDAY)
    (shown,) = week.days[4].sessions
    assert not shown.family_agreed
    assert shown.meeting_link == ""

    carer_agrees(world)
    (shown,) = child_week(world.pupil, MONDAY).days[4].sessions
    assert shown.family_agreed
    assert shown.meeting_link == "https://teams.example/meet/abc"
    assert shown.upcoming


def test_a_pre_recorded_or_stopped_session_has_no_link(world, autumn):
    carer_agrees(world)
    session(world, london(2026, 12, 4, 10, 0), kind=SessionKind.PRE_RECORDED, title="Recorded")
    stopped = session(world, london(2026, 12, 4, 14, 0), title="Stopped")
    VirtualSession.objects.filter(pk=stopped.pk).update(stopped_at=AUTUMN_DAY)
    shown = child_week(world.pupil, MONDAY).days[4].sessions
    assert [s.title for s in shown] == ["Recorded", "Stopped"]
    assert [s.meeting_link for s in shown] == ["", ""]


def test_another_childs_session_is_not_in_the_week(world, autumn):
    session(world, london(2026, 12, 4, 14, 0), pupils=[world.other_pupil])
    assert child_week(world.pupil, MONDAY).nothing_recorded


def count_queries(world) -> int:
    with CaptureQueriesContext(connection) as queries:
        week = child_week(world.pupil, MONDAY)
        [(day.provision, [s.meeting_link for s in day.sessions]) for day in week.days]
    return len(queries)


def test_the_week_costs_the_same_queries_whatever_the_rows(world, autumn):
    case = open_case(world, days=30)
    provide(case, WEEK_DAYS[0])
    session(world, london(2026, 12, 1, 14, 0))
    few = count_queries(world)

    days = [WEEK_DAYS[0] + datetime.timedelta(days=n) for n in range(1, 14)]
    for day in [d for d in days if d.weekday() < 5][:9]:
        provide(case, day, work_links="https://learning.example/a\nhttps://learning.example/b")
    assert Provision.objects.count() == 10
    carer_agrees(world)
    for hour in range(9, 15):
        session(world, london(2026, 12, 2, hour, 0), title=f"Session {hour}")
    assert count_queries(world) == few == 4
