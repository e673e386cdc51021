"""The scheduled tasks that run the contact rules, run at 16:30 in London every day of a real
fortnight: the clocks going forward, an INSET day, Good Friday and Easter Monday."""

import datetime as dt

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings

from cases.models import Flag, FlagKind
from contacts.models import ContactKind, Outcome
from contacts.tasks import check_daily_contacts, check_weekly_wellbeing
from tests.contacts.test_rules import (
    EASTER_MONDAY,
    EVERY_DAY,
    MONDAY,
    SCHOOL_DAYS,
    at,
    d,
    flags,
    log,
    periods,
    running_case,
    with_spring_calendar,
)

NOTHING_NEW_DAILY = {FlagKind.DAILY_CONTACT_MISSED: 0, FlagKind.FAMILY_NOT_RESPONDING: 0}
NOTHING_NEW_WEEKLY = {FlagKind.WELLBEING_CHECK_OVERDUE: 0}


@pytest.fixture
def calendar(world):
    return with_spring_calendar(world)


def run_tasks_at(when: dt.datetime) -> tuple[dict, dict]:
    with time_machine.travel(when, tick=False):
        return check_daily_contacts.apply().get(), check_weekly_wellbeing.apply().get()


def test_a_fortnight_over_easter_and_the_clock_change(calendar):
    reached = running_case(calendar)  # reached every school day; one contact logged late
    silent = running_case(calendar)  # never reached
    attempts = running_case(calendar)  # three failed attempts on Tuesday
    late = running_case(calendar)  # one contact, at 23:30 UTC on Monday 30 March

    events = []

    def contact(case, when, **extra):
        events.append((when, lambda: log(calendar, case, when, **extra)))

    for day in SCHOOL_DAYS:
        if day == d(4, 7):
            contact(reached, at(day, 17))  # after the check: answers that day's flag
        else:
            kind = ContactKind.WELLBEING if day in (d(4, 2), d(4, 8)) else ContactKind.DAILY
            contact(reached, at(day, 10), kind=kind)
        if day != d(3, 31):
            contact(attempts, at(day, 10))
    for hour in (9, 11, 13):
        contact(attempts, at(d(3, 31), hour), outcome=Outcome.NO_RESPONSE)
    # 23:30 UTC on Monday 30 March is 00:30 on Tuesday 31 March in London (BST).
    contact(late, dt.datetime(2026, 3, 30, 23, 30, tzinfo=dt.UTC))

    raised = {}
    for day in EVERY_DAY:
        events.append((at(day), lambda day=day: raised.setdefault(day, run_tasks_at(at(day)))))
    for _, action in sorted(events, key=lambda event: event[0]):
        action()
    # Every check run again: nothing new.
    for day in EVERY_DAY:
        assert run_tasks_at(at(day, 16, 45)) == (NOTHING_NEW_DAILY, NOTHING_NEW_WEEKLY), day

    # Missed daily contacts: school days only, once each; none on the weekend the clocks
    # changed, the INSET day, Good Friday, the Easter weekend or Easter Monday.
    assert periods(FlagKind.DAILY_CONTACT_MISSED, silent) == SCHOOL_DAYS
    assert periods(FlagKind.DAILY_CONTACT_MISSED, late) == [
        day for day in SCHOOL_DAYS if day != d(3, 31)
    ]
    # Three calls unanswered on 31 March are attempts, not the day's contact.
    assert periods(FlagKind.DAILY_CONTACT_MISSED, attempts) == [d(3, 31)]
    answered = flags(FlagKind.DAILY_CONTACT_MISSED, reached).get()
    assert (answered.period, answered.is_open, answered.resolution) == (
        d(4, 7),
        False,
        "Contact logged.",
    )
    assert (
        not flags(FlagKind.DAILY_CONTACT_MISSED, silent).filter(resolved_at__isnull=False).exists()
    )

    # The weekly check: on Thursday 2 April (Good Friday follows) and on Friday 10 April.
    wellbeing_days = [day for day, (_, weekly) in raised.items() if any(weekly.values())]
    assert wellbeing_days == [d(4, 2), d(4, 10)]
    assert periods(FlagKind.WELLBEING_CHECK_OVERDUE, silent) == [MONDAY, EASTER_MONDAY]
    assert periods(FlagKind.WELLBEING_CHECK_OVERDUE, reached) == []

    # Families not responding: the silent family after two school days; three failed
    # attempts in one day; the late contact's family after two school days over Easter.
    not_responding = [
        (day, daily[FlagKind.FAMILY_NOT_RESPONDING])
        for day, (daily, _) in raised.items()
        if daily[FlagKind.FAMILY_NOT_RESPONDING]
    ]
    assert not_responding == [(d(3, 31), 2), (d(4, 7), 1)]
    assert periods(FlagKind.FAMILY_NOT_RESPONDING, silent) == [MONDAY]
    assert periods(FlagKind.FAMILY_NOT_RESPONDING, late) == [d(3, 31)]
    answered = flags(FlagKind.FAMILY_NOT_RESPONDING, attempts).get()
    assert (answered.period, answered.is_open, answered.resolution) == (
        MONDAY,
        False,
        "The family was reached.",
    )
    assert periods(FlagKind.FAMILY_NOT_RESPONDING, reached) == []


def test_the_tasks_work_out_today_in_london(calendar):
    case = running_case(calendar)

    # 23:30 UTC on Wednesday 1 April (an INSET day) is already Thursday 2 April in London.
    daily, weekly = run_tasks_at(dt.datetime(2026, 4, 1, 23, 30, tzinfo=dt.UTC))

    assert daily[FlagKind.DAILY_CONTACT_MISSED] == 1
    assert weekly == {FlagKind.WELLBEING_CHECK_OVERDUE: 1}
    assert set(Flag.objects.filter(case=case).values_list("kind", "period")) == {
        (FlagKind.DAILY_CONTACT_MISSED, d(4, 2)),
        (FlagKind.FAMILY_NOT_RESPONDING, MONDAY),
        (FlagKind.WELLBEING_CHECK_OVERDUE, MONDAY),
    }

    # 23:30 UTC on Thursday 2 April is Good Friday in London: nothing is due.
    assert run_tasks_at(dt.datetime(2026, 4, 2, 23, 30, tzinfo=dt.UTC)) == (
        NOTHING_NEW_DAILY,
        NOTHING_NEW_WEEKLY,
    )


@pytest.mark.parametrize("task", [check_daily_contacts, check_weekly_wellbeing])
def test_the_tasks_are_scheduled_after_the_school_day_on_weekdays(task):
    entries = [
        entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == task.name
    ]

    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab)
    assert (schedule.hour, schedule.minute) == ({16}, {30})
    assert schedule.day_of_week == {1, 2, 3, 4, 5}
    assert settings.CELERY_TIMEZONE == "Europe/London"


@pytest.mark.django_db
def test_the_tasks_are_registered_with_the_celery_app():
    from remote_learning.celery import app

    app.loader.import_default_modules()
    assert "contacts.tasks.check_daily_contacts" in app.tasks
    assert "contacts.tasks.check_weekly_wellbeing" in app.tasks
