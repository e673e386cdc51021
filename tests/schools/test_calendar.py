import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from schools.calendar import (
    add_school_days,
    bank_holidays,
    compute_school_days,
    is_school_day,
    school_days_between,
    today,
)
from schools.models import ClosureDay, ClosureKind, SchoolDay, Term
from schools.services import school_days_refresh
from tests.factories import SchoolFactory

LONDON = ZoneInfo("Europe/London")


def test_bank_holidays_of_england_and_wales_come_from_the_maintained_package():
    holidays_2026 = bank_holidays([2026])
    assert dt.date(2026, 12, 28) in holidays_2026  # Boxing Day, observed on the Monday
    assert dt.date(2026, 8, 31) in holidays_2026  # summer bank holiday in England and Wales
    assert dt.date(2026, 8, 3) not in holidays_2026  # Scotland's, not ours


def test_school_days_skip_weekends_bank_holidays_and_closures():
    days = compute_school_days(
        [(dt.date(2026, 12, 21), dt.date(2027, 1, 8))], closures=[dt.date(2027, 1, 4)]
    )
    assert dt.date(2026, 12, 25) not in days  # Christmas Day
    assert dt.date(2026, 12, 26) not in days  # Saturday
    assert dt.date(2026, 12, 28) not in days  # Boxing Day observed
    assert dt.date(2027, 1, 1) not in days  # New Year's Day
    assert dt.date(2027, 1, 4) not in days  # INSET
    assert days[:4] == [
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 22),
        dt.date(2026, 12, 23),
        dt.date(2026, 12, 24),
    ]
    assert days[-1] == dt.date(2027, 1, 8)


def test_outside_every_term_there_are_no_school_days():
    assert compute_school_days([], closures=[]) == []


@pytest.fixture
def school_with_autumn_term(db):
    school = SchoolFactory()
    Term.objects.create(
        school=school,
        name="Autumn 2026",
        first_day=dt.date(2026, 9, 2),
        last_day=dt.date(2026, 12, 18),
    )
    ClosureDay.objects.create(school=school, date=dt.date(2026, 11, 2), kind=ClosureKind.INSET)
    school_days_refresh(school=school)
    return school


def test_refreshing_twice_changes_nothing(school_with_autumn_term):
    before = list(SchoolDay.objects.values_list("pk", "date"))
    assert school_days_refresh(school=school_with_autumn_term) == len(before)
    assert list(SchoolDay.objects.values_list("pk", "date")) == before


def test_removing_an_inset_day_makes_it_a_school_day_again(school_with_autumn_term):
    school = school_with_autumn_term
    assert not is_school_day(school, dt.date(2026, 11, 2))
    ClosureDay.objects.filter(school=school).delete()
    school_days_refresh(school=school)
    assert is_school_day(school, dt.date(2026, 11, 2))


def test_school_day_arithmetic_steps_over_weekends_and_closures(school_with_autumn_term):
    school = school_with_autumn_term
    friday = dt.date(2026, 10, 30)
    assert add_school_days(school, friday, 1) == dt.date(2026, 11, 3)  # Mon 2 Nov is INSET
    assert add_school_days(school, dt.date(2026, 11, 3), -1) == friday
    assert add_school_days(school, friday, 0) == friday
    assert add_school_days(school, dt.date(2026, 12, 17), 5) is None  # beyond the calendar
    assert school_days_between(school, friday, dt.date(2026, 11, 4)) == [
        friday,
        dt.date(2026, 11, 3),
        dt.date(2026, 11, 4),
    ]


@pytest.mark.parametrize(
    ("utc_moment", "expected_local_date"),
    [
        # British Summer Time: half past eleven at night UTC is already tomorrow in London.
        (dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), dt.date(2026, 7, 1)),
        # Greenwich Mean Time: the same moment in December is still today.
        (dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC), dt.date(2026, 12, 1)),
        # The night the clocks go forward (29 March 2026, 01:00 UTC).
        (dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC), dt.date(2026, 3, 28)),
        (dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC), dt.date(2026, 3, 30)),
        # The night the clocks go back (25 October 2026, 01:00 UTC).
        (dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC), dt.date(2026, 10, 25)),
        (dt.datetime(2026, 10, 25, 23, 30, tzinfo=dt.UTC), dt.date(2026, 10, 25)),
    ],
)
def test_today_means_today_in_london(utc_moment, expected_local_date):
    with time_machine.travel(utc_moment, tick=False):
        assert today() == expected_local_date
