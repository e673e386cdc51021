"""Reads of the school calendar for its pages, the home page and /healthz (fixed queries)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from schools.calendar import CALENDAR_ENDING_SCHOOL_DAYS
from schools.models import CalendarNotice, ClosureDay, School, Term
from schools.term_dates.permissions import calendar_school_ids, calendar_schools_for
from schools.term_dates.services import school_year_label, school_year_of, school_year_span


def _with_calendar_ahead(schools: QuerySet[School], today: datetime.date) -> QuerySet[School]:
    return schools.annotate(
        remaining=Count("school_days", filter=Q(school_days__date__gte=today)),
        last_school_day=Max("school_days__date"),
    )


def calendar_state(remaining: int) -> str:
    """ok, ending (fewer than six school weeks ahead) or missing (no school day ahead)."""
    if not remaining:
        return "missing"
    return "ending" if remaining < CALENDAR_ENDING_SCHOOL_DAYS else "ok"


def calendar_health(today: datetime.date) -> str:
    """The worst calendar of any school, for /healthz: one query, no names."""
    counts = list(
        _with_calendar_ahead(School.objects.all(), today).values_list("remaining", flat=True)
    )
    if not counts:
        return "missing"
    return calendar_state(min(counts))


def calendar_schools(user: object, today: datetime.date) -> list[School]:
    schools = list(_with_calendar_ahead(calendar_schools_for(user), today))
    for school in schools:
        school.calendar_state = calendar_state(school.remaining)
    return schools


@dataclass
class CalendarYear:
    school: School
    year: int
    label: str
    terms: list[Term]
    days: list[ClosureDay]
    years: list[int]
    previous: int | None
    next: int | None
    drafts: int
    remaining: int
    last_school_day: datetime.date | None

    @property
    def state(self) -> str:
        return calendar_state(self.remaining)


def calendar_year(school: School, year: int | None, today: datetime.date) -> CalendarYear:
    """One school year of the calendar (the current one unless asked), with its neighbours."""
    years = sorted(
        {
            school_year_of(day)
            for day in Term.objects.filter(school=school).values_list("first_day", flat=True)
        }
        | {school_year_of(today)}
    )
    year = year if year is not None else school_year_of(today)
    first, last = school_year_span(year)
    ahead = _with_calendar_ahead(School.objects.filter(pk=school.pk), today).values(
        "remaining", "last_school_day"
    )[0]
    drafts = (
        Term.objects.filter(school=school, draft=True).count()
        + ClosureDay.objects.filter(school=school, draft=True).count()
    )
    earlier = [y for y in years if y < year]
    later = [y for y in years if y > year]
    return CalendarYear(
        school=school,
        year=year,
        label=school_year_label(year),
        terms=list(Term.objects.filter(school=school, first_day__range=(first, last))),
        days=list(ClosureDay.objects.filter(school=school, date__range=(first, last))),
        years=years,
        previous=earlier[-1] if earlier else None,
        next=later[0] if later else (year + 1),
        drafts=drafts,
        remaining=ahead["remaining"],
        last_school_day=ahead["last_school_day"],
    )


def calendar_notices_for(user: object) -> list[CalendarNotice]:
    """Open notices for the schools whose calendar this person keeps, for their home page."""
    ids = calendar_school_ids(user, "act")
    if ids is not None and not ids:
        return []
    notices = CalendarNotice.objects.filter(cleared_at__isnull=True).select_related("school")
    if ids is not None:
        notices = notices.filter(school_id__in=ids)
    return list(notices.order_by("school__name")[:20])
