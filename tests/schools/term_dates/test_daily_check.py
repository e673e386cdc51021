"""The daily calendar check: a notice for the headteacher and administrators when fewer than
six school weeks of calendar remain (or none), once a week, cleared when the calendar is
extended; and /healthz says ok, ending or missing without naming any school."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from schools.models import CalendarNotice, CalendarNoticeKind, Term
from schools.services import school_days_refresh
from schools.tasks import check_calendar_task
from tests.conftest import client_for
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def term(school, name: str, first: dt.date, last: dt.date) -> None:
    Term.objects.create(school=school, name=name, first_day=first, last_day=last)
    school_days_refresh(school=school)


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def spring_only(world):
    """Heathergate's calendar ends with the spring term; its last school day is 25/03/2027
    (26/03 is Good Friday, a bank holiday)."""
    term(world.school, "Spring 2027", dt.date(2027, 1, 4), dt.date(2027, 3, 26))
    for school in type(world.school).objects.exclude(pk=world.school.pk):
        term(school, "All year", dt.date(2027, 1, 4), dt.date(2027, 12, 17))
    return world


def test_a_calendar_ending_within_six_school_weeks_raises_one_notice_a_week(spring_only):
    world = spring_only
    with at(dt.datetime(2027, 2, 22, 7, tzinfo=dt.UTC)):  # 25 school days left
        assert check_calendar_task() == 1
        assert check_calendar_task() == 0
    notice = CalendarNotice.objects.get()
    assert (notice.school, notice.kind) == (world.school, CalendarNoticeKind.ENDING)
    assert notice.last_school_day == dt.date(2027, 3, 25)
    with at(dt.datetime(2027, 2, 23, 7, tzinfo=dt.UTC)):
        assert check_calendar_task() == 0


def test_six_school_weeks_ahead_raise_nothing(spring_only):
    with at(dt.datetime(2027, 2, 8, 7, tzinfo=dt.UTC)):  # 35 school days left
        assert check_calendar_task() == 0


def test_a_school_with_no_calendar_gets_a_missing_notice(world):
    with at(dt.datetime(2027, 2, 22, 7, tzinfo=dt.UTC)):
        check_calendar_task()
    kinds = set(CalendarNotice.objects.values_list("kind", flat=True))
    assert kinds == {CalendarNoticeKind.MISSING}


def test_the_week_is_londons_across_the_change_to_summer_time(spring_only):
    world = spring_only
    # 23:30 UTC on Sunday 28/03/2027 is already Monday 29/03 in London (BST began that day).
    with at(dt.datetime(2027, 3, 28, 23, 30, tzinfo=dt.UTC)):
        check_calendar_task()
    notice = CalendarNotice.objects.get(school=world.school)
    assert (notice.kind, notice.week) == (CalendarNoticeKind.MISSING, dt.date(2027, 3, 29))


def test_the_notice_is_cleared_once_the_calendar_is_extended(spring_only):
    world = spring_only
    with at(dt.datetime(2027, 2, 22, 7, tzinfo=dt.UTC)):
        check_calendar_task()
        term(world.school, "Summer 2027", dt.date(2027, 4, 12), dt.date(2027, 7, 21))
        check_calendar_task()
    assert CalendarNotice.objects.get().cleared_at is not None


def test_the_headteacher_and_administrators_see_it_on_their_home_page(spring_only):
    world = spring_only
    with at(dt.datetime(2027, 2, 22, 7, tzinfo=dt.UTC)):
        check_calendar_task()
        pages = {
            persona: client_for(world.users[persona]).get(reverse("home")).content.decode()
            for persona in ("headteacher", "administrator", "teacher", "slt_class")
        }
    message = "the calendar ends on 25/03/2027"
    assert message in pages["headteacher"] and message in pages["administrator"]
    assert message not in pages["teacher"] and message not in pages["slt_class"]


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (dt.datetime(2027, 1, 11, 9, tzinfo=dt.UTC), "ok"),
        (dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC), "ending"),
        (dt.datetime(2027, 3, 29, 9, tzinfo=dt.UTC), "missing"),
    ],
)
def test_healthz_reports_the_worst_calendar_of_any_school(spring_only, client, today, state):
    with at(today):
        body = client.get(reverse("healthz")).json()
    assert body["calendar"] == state
    assert "Heathergate" not in str(body)


def test_healthz_says_missing_when_a_school_has_no_calendar(client):
    SchoolFactory()
    assert client.get(reverse("healthz")).json()["calendar"] == "missing"
