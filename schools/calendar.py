"""School days: which dates pupils are expected in school, in Europe/London.

A school day is a weekday inside one of the school's terms that is neither a bank holiday of
England and Wales nor one of the school's INSET or closure days. The dates themselves are
kept in the SchoolDay table (see services.school_days_refresh), so that scheduled rules can
work on them in SQL; the helpers here read that table.
"""

import datetime
import functools
from collections.abc import Iterable

import holidays
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from schools.models import School, SchoolDay, Term

# Who may extend the calendar, named in every message that refuses a date beyond it.
CALENDAR_OWNERS = "the headteacher or an administrator"
# Fewer school days than this ahead (six school weeks) and the calendar is "ending".
CALENDAR_ENDING_SCHOOL_DAYS = 30

# England and Wales share their bank holidays; the holidays package keeps them up to date.
BANK_HOLIDAY_SUBDIVISION = "ENG"


def bank_holidays(years: Iterable[int]) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("GB", subdiv=BANK_HOLIDAY_SUBDIVISION, years=list(years)))


def compute_school_days(
    terms: Iterable[tuple[datetime.date, datetime.date]],
    closures: Iterable[datetime.date],
) -> list[datetime.date]:
    """Every school day in these terms, given the school's own closure days."""
    spans = list(terms)
    if not spans:
        return []
    years = range(min(start.year for start, _ in spans), max(end.year for _, end in spans) + 1)
    days_off = set(bank_holidays(years)) | set(closures)
    result: set[datetime.date] = set()
    for first_day, last_day in spans:
        day = first_day
        while day <= last_day:
            if day.weekday() < 5 and day not in days_off:
                result.add(day)
            day += datetime.timedelta(days=1)
    return sorted(result)


def today() -> datetime.date:
    """Today's date in Europe/London, which is what 'today' means in school."""
    return timezone.localdate()


def term_agreed_for(school: School, date: datetime.date) -> Term | None:
    """The term something a family agrees on ``date`` holds for (policy: term by term): the
    confirmed term that ``date`` falls in or, in a holiday, the next one; None when the
    school's calendar has no confirmed term from then on."""
    return (
        Term.objects.filter(school=school, draft=False, last_day__gte=date)
        .order_by("first_day")
        .first()
    )


def is_school_day(school: School, date: datetime.date) -> bool:
    return SchoolDay.objects.filter(school=school, date=date).exists()


def school_days_between(
    school: School, first: datetime.date, last: datetime.date
) -> list[datetime.date]:
    """School days from ``first`` to ``last``, both included."""
    return list(
        SchoolDay.objects.filter(school=school, date__range=(first, last))
        .order_by("date")
        .values_list("date", flat=True)
    )


def add_school_days(school: School, start: datetime.date, count: int) -> datetime.date | None:
    """The school day ``count`` school days after ``start`` (before it, when negative).

    None when the calendar does not reach that far (terms not entered yet).
    """
    if count == 0:
        return start
    days = SchoolDay.objects.filter(school=school)
    if count > 0:
        days = days.filter(date__gt=start).order_by("date")
    else:
        days = days.filter(date__lt=start).order_by("-date")
    return days.values_list("date", flat=True)[abs(count) - 1 : abs(count)].first()


# --- Working days: how agencies count (Monday to Friday other than bank holidays in England,
# school holidays and INSET days included), with no query.


@functools.cache
def _bank_holiday_dates(year: int) -> frozenset[datetime.date]:
    return frozenset(bank_holidays([year]))


def is_working_day(date: datetime.date) -> bool:
    return date.weekday() < 5 and date not in _bank_holiday_dates(date.year)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The working day ``count`` working days after ``start`` (a referral made on a Friday and
    expected within one working day is due on the Monday, or the Tuesday of a bank holiday)."""
    day = start
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(first: datetime.date, last: datetime.date) -> int:
    """Working days after ``first`` up to and including ``last`` (0 when ``last`` is not
    later): how many working days past its due date something is."""
    count, day = 0, first
    while day < last:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count


def last_school_day(school: School) -> datetime.date | None:
    """The last date the school's calendar knows to be a school day; None with no calendar."""
    return SchoolDay.objects.filter(school=school).aggregate(last=Max("date"))["last"]


def beyond_calendar(school: School, date: datetime.date) -> str | None:
    """Why ``date`` cannot be planned for (it lies past the calendar), or None when it can.

    A date the calendar does not reach cannot be checked against school days, so rather
    than accept it silently the service refuses it and says who can extend the calendar.
    """
    last = last_school_day(school)
    if last is None:
        return (
            "The school calendar has no school days yet, so this date cannot be checked. "
            f"{CALENDAR_OWNERS.capitalize()} can add the terms on the calendar page."
        )
    if date > last:
        return (
            f"The school calendar ends on {last:%d/%m/%Y}, so a date after it cannot be "
            f"checked. {CALENDAR_OWNERS.capitalize()} can extend the calendar."
        )
    return None


def check_within_calendar(school: School, date: datetime.date, field: str) -> None:
    """Refuse ``date`` at ``field`` when it lies beyond the school's known calendar."""
    message = beyond_calendar(school, date)
    if message is not None:
        raise ValidationError({field: message})


def school_time_back(
    until: datetime.datetime,
    minutes: int,
    days: Iterable[datetime.date],
    *,
    starts: datetime.time,
    ends: datetime.time,
) -> datetime.datetime | None:
    """The latest instant with ``minutes`` of school time between it and ``until``: anything
    that happened at or before it has waited that long in school hours.

    School time is the hours from ``starts`` to ``ends`` (Europe/London wall-clock times, so
    a clock change moves them in UTC) on each of ``days``. None when ``days`` do not hold that
    much school time before ``until``.
    """
    remaining = datetime.timedelta(minutes=minutes)
    last = timezone.localtime(until).date()
    for day in sorted((d for d in set(days) if d <= last), reverse=True):
        opens = timezone.make_aware(datetime.datetime.combine(day, starts))
        closes = min(timezone.make_aware(datetime.datetime.combine(day, ends)), until)
        if closes <= opens:
            continue
        if remaining <= closes - opens:
            return closes - remaining
        remaining -= closes - opens
    return None
