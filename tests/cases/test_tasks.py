"""The scheduled task that runs the case rules."""

import datetime as dt

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings

from cases.models import Flag, FlagKind
from cases.tasks import check_cases
from tests.cases.flags.test_rules import TIME_LIMIT, on, running_case, with_summer_term


@pytest.fixture
def calendar(world):
    return with_summer_term(world)


def test_the_task_runs_the_rules_for_today_in_london(calendar):
    case = running_case(calendar)

    # 23:30 UTC on Thursday 7 May is already Friday 8 May, the time limit, in London.
    with time_machine.travel(dt.datetime(2026, 5, 7, 23, 30, tzinfo=dt.UTC), tick=False):
        result = check_cases.apply().get()

    assert result == {
        FlagKind.REVIEW_OVERDUE: 1,
        FlagKind.TIME_LIMIT_PASSED: 1,
        FlagKind.AGREEMENTS_MISSING: 0,
    }
    assert set(Flag.objects.filter(case=case).values_list("kind", "period")) == {
        (FlagKind.REVIEW_OVERDUE, case.next_review_date),
        (FlagKind.TIME_LIMIT_PASSED, TIME_LIMIT),
    }


def test_running_the_task_again_raises_nothing_new(calendar):
    running_case(calendar)
    with on(TIME_LIMIT, hour=7):
        check_cases.apply()
    before = list(Flag.objects.values_list("pk", "raised_at"))

    with on(TIME_LIMIT, hour=16):
        result = check_cases.apply().get()

    assert result == dict.fromkeys(result, 0)
    assert list(Flag.objects.values_list("pk", "raised_at")) == before


def test_the_task_is_scheduled_every_school_morning_and_afternoon():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == check_cases.name
    ]

    assert check_cases.name == "cases.tasks.check_cases"
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.hour == {7, 16}
    assert schedule.minute == {0}
    assert schedule.day_of_week == {1, 2, 3, 4, 5}
    assert settings.CELERY_TIMEZONE == "Europe/London"


@pytest.mark.django_db
def test_the_task_is_registered_with_the_celery_app():
    from remote_learning.celery import app

    app.loader.import_default_modules()
    assert "cases.tasks.check_cases" in app.tasks
