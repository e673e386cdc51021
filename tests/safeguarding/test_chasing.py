"""Every concern is chased while nobody acknowledges it: a reminder to the site's DSL team when
the school's limit for its urgency passes, an escalation to the headteacher when twice the
limit passes, each once. Immediate concerns count on the clock; high and routine concerns
count school hours only (school days, between the school day's start and end, in London)."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.actor import Actor
from core.tasks import send_outbox
from safeguarding.models import (
    Concern,
    Notification,
    NotificationKind,
    SafeguardingSettings,
    Urgency,
)
from safeguarding.services import concern_acknowledge, notifications_for_unacknowledged
from schools.calendar import school_time_back
from schools.models import SchoolDay
from setup.settings_area.selectors import current_values
from setup.settings_area.services import school_setting_change
from tests.cases.closures.matrix import build_calendar
from tests.safeguarding.matrix_concerns import concern_for

LONDON = ZoneInfo("Europe/London")
START, END = datetime.time(8, 45), datetime.time(15, 15)


def london(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def no_broker():
    with mock.patch.object(send_outbox, "apply_async"):
        yield


@pytest.fixture
def calendar(world):
    build_calendar(world.school)


def raised(world, urgency: str, at: datetime.datetime) -> Concern:
    concern = concern_for(world, urgency=urgency)
    Concern.objects.filter(pk=concern.pk).update(raised_at=at)
    concern.refresh_from_db()
    return concern


def chased(concern: Concern) -> set[tuple[str, str]]:
    return set(
        Notification.objects.filter(concern=concern)
        .exclude(kind=NotificationKind.IMMEDIATE_CONCERN)
        .values_list("recipient__full_name", "kind")
    )


def run_at(when: datetime.datetime) -> int:
    with time_machine.travel(when, tick=False):
        return notifications_for_unacknowledged()


REMINDED = {("Dsl", NotificationKind.REMINDER)}
ESCALATED = REMINDED | {("Headteacher", NotificationKind.ESCALATION)}


# --- Counting school time ----------------------------------------------------------------------


def test_school_time_skips_the_evening_the_weekend_and_follows_the_clock_change():
    # Friday 23/10/2026 is in British Summer Time; Monday 26/10/2026 is in GMT.
    days = [datetime.date(2026, 10, 23), datetime.date(2026, 10, 26)]
    until = london(2026, 10, 26, 14, 0)
    assert school_time_back(until, 390, days, starts=START, ends=END) == london(2026, 10, 23, 14, 0)
    assert school_time_back(until, 60, days, starts=START, ends=END) == london(2026, 10, 26, 13, 0)
    # Outside the school day, time stands still at the day's end.
    evening = london(2026, 10, 26, 19, 0)
    assert school_time_back(evening, 15, days, starts=START, ends=END) == london(
        2026, 10, 26, 15, 0
    )
    # More school time than the days hold: no such instant.
    assert school_time_back(until, 2000, days, starts=START, ends=END) is None


# --- High and routine concerns, in school hours ------------------------------------------------


def test_a_high_concern_is_reminded_after_two_school_hours_and_escalated_after_four(
    world, calendar
):
    concern = raised(world, Urgency.HIGH, london(2026, 12, 1, 9, 0))
    assert run_at(london(2026, 12, 1, 10, 59)) == 0
    assert chased(concern) == set()
    assert run_at(london(2026, 12, 1, 11, 0)) == 1
    assert chased(concern) == REMINDED
    assert run_at(london(2026, 12, 1, 11, 30)) == 0  # once
    assert run_at(london(2026, 12, 1, 13, 0)) == 1
    assert chased(concern) == ESCALATED
    assert run_at(london(2026, 12, 2, 13, 0)) == 0
    concern.refresh_from_db()
    assert concern.reminded_at == london(2026, 12, 1, 11, 0)
    assert concern.escalated_at == london(2026, 12, 1, 13, 0)


def test_a_routine_concern_on_a_friday_afternoon_is_chased_on_monday_after_the_clock_change(
    world, calendar
):
    # One school day (08:45 to 15:15, six and a half hours) from Friday 14:00 in summer time
    # ends on Monday at 14:00 in winter time, which is 14:00 UTC, not 13:00.
    concern = raised(world, Urgency.ROUTINE, london(2026, 10, 23, 14, 0))
    assert run_at(london(2026, 10, 24, 12, 0)) == 0  # Saturday
    assert run_at(london(2026, 10, 26, 13, 59)) == 0
    assert run_at(london(2026, 10, 26, 14, 0)) == 1
    assert chased(concern) == REMINDED
    assert run_at(london(2026, 10, 27, 13, 59)) == 0
    assert run_at(london(2026, 10, 27, 14, 0)) == 1
    assert chased(concern) == ESCALATED


def test_a_high_concern_waits_over_easter_and_into_summer_time(world, calendar):
    # Thursday 25/03/2027 14:30 GMT; Good Friday and Easter Monday are bank holidays; the
    # clocks go forward on Sunday 28/03. 45 minutes on Thursday, 75 on Tuesday: 10:00 BST.
    concern = raised(world, Urgency.HIGH, london(2027, 3, 25, 14, 30))
    assert run_at(london(2027, 3, 29, 12, 0)) == 0
    assert run_at(london(2027, 3, 30, 9, 59)) == 0
    assert run_at(london(2027, 3, 30, 10, 0)) == 1
    assert chased(concern) == REMINDED


def test_a_concern_raised_in_the_evening_starts_counting_the_next_school_morning(world, calendar):
    concern = raised(world, Urgency.HIGH, london(2026, 12, 1, 18, 0))
    assert run_at(london(2026, 12, 2, 10, 44)) == 0
    assert run_at(london(2026, 12, 2, 10, 45)) == 1
    assert chased(concern) == REMINDED


def test_the_schools_own_limits_and_school_day_are_used(world, calendar):
    SafeguardingSettings.objects.create(
        school=world.school,
        acknowledge_routine_within_school_minutes=60,
        school_day_starts=datetime.time(9, 30),
        school_day_ends=datetime.time(15, 0),
    )
    concern = raised(world, Urgency.ROUTINE, london(2026, 12, 1, 7, 0))
    assert run_at(london(2026, 12, 1, 10, 29)) == 0
    assert run_at(london(2026, 12, 1, 10, 30)) == 1
    assert chased(concern) == REMINDED


def test_a_school_without_a_calendar_is_chased_on_weekdays_rather_than_never(world):
    assert not SchoolDay.objects.exists()
    concern = raised(world, Urgency.HIGH, london(2026, 12, 4, 15, 0))  # a Friday
    assert run_at(london(2026, 12, 7, 10, 29)) == 0
    assert run_at(london(2026, 12, 7, 10, 30)) == 1
    assert chased(concern) == REMINDED


def test_an_acknowledged_or_closed_concern_is_not_chased(world, calendar):
    concern = raised(world, Urgency.ROUTINE, london(2026, 12, 1, 9, 0))
    with time_machine.travel(london(2026, 12, 1, 10, 0), tick=False):
        concern_acknowledge(actor=Actor.for_user(world.users["dsl"]), concern=concern)
    assert run_at(london(2026, 12, 10, 10, 0)) == 0
    assert chased(concern) == set()


# --- Immediate concerns, on the clock ----------------------------------------------------------


def test_an_immediate_concern_is_reminded_at_its_limit_and_escalated_at_twice_it(world):
    concern = raised(world, Urgency.IMMEDIATE, london(2026, 12, 5, 22, 0))  # a Saturday night
    assert run_at(london(2026, 12, 5, 22, 14)) == 0
    assert run_at(london(2026, 12, 5, 22, 15)) == 1
    assert chased(concern) == REMINDED
    assert run_at(london(2026, 12, 5, 22, 29)) == 0
    assert run_at(london(2026, 12, 5, 22, 30)) == 1
    assert chased(concern) == ESCALATED


# --- Set-based ---------------------------------------------------------------------------------


def _queries_for(world, count: int, when: datetime.datetime) -> int:
    for n in range(count):
        for urgency in Urgency:
            raised(world, urgency, london(2026, 12, 1, 9, 0) - datetime.timedelta(minutes=n))
    with CaptureQueriesContext(connection) as queries:
        assert run_at(when) == count * len(Urgency)
    return len(queries)


def test_chasing_costs_the_same_queries_for_one_concern_or_many(world, calendar):
    few = _queries_for(world, 1, london(2026, 12, 2, 13, 0))
    Notification.objects.all().delete()
    Concern.objects.all().delete()
    many = _queries_for(world, 6, london(2026, 12, 2, 13, 0))
    assert few == many
    assert Concern.objects.filter(escalated_at__isnull=False).count() == 6 * 2  # not routine


# --- The school sets its limits and its school day ---------------------------------------------


def test_the_limits_and_the_school_day_are_changed_on_the_settings_page_as_versions(world):
    head = Actor.for_user(world.users["headteacher"])
    change = school_setting_change(
        actor=head,
        school=world.school,
        key="acknowledge_routine_within_school_minutes",
        value=180,
        reason="The DSL team agreed half a day.",
    )
    assert (change.old_value, change.new_value) == ("390", "180")
    settings = SafeguardingSettings.objects.get(school=world.school)
    assert settings.acknowledge_routine_within_school_minutes == 180
    assert current_values(world.school)["school_day_starts"] == datetime.time(8, 45)
    with pytest.raises(ValidationError) as refused:
        school_setting_change(
            actor=head,
            school=world.school,
            key="school_day_ends",
            value=datetime.time(8, 0),
            reason="Typo",
        )
    assert "later than" in refused.value.message_dict["value"][0]
    settings.refresh_from_db()
    assert settings.school_day_ends == datetime.time(15, 15)
