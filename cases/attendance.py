"""The attendance export: remote education is marked absent (policy section 2), with the code
each case carries, for every session of every school day the pupil learned remotely.

A pupil was on remote education on a school day when their case was agreed (active,
reintegrating or closed; a proposed or withdrawn case never was) and the day falls from the
case's start date to the day before the pupil actually returned. The time limit does not cut
the days: a pupil still at home after it is still absent, and the time-limit flag is what asks
for a review. A case still open runs to its time limit, or to today when that is later. The
rows come from one SQL join of cases with the school's SchoolDay rows; nothing loops over dates
in Python.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator

from django.db.models import F, Q, QuerySet

from cases.models import STARTED_STATUSES, Case
from schools.models import Pupil, Site

SESSIONS = ("AM", "PM")
CSV_HEADER = ("Pupil name", "UPN", "Date", "Session", "Attendance code")
# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_DAY = "pupil__school__school_days__date"


def remote_days(
    *,
    pupils: QuerySet[Pupil],
    date_from: datetime.date,
    date_to: datetime.date,
    today: datetime.date,
    site: Site | None = None,
) -> QuerySet:
    """One row per pupil and school day on remote education between the dates (included).

    A single SQL statement: cases joined to their school's days on the date range each case
    covers.
    """
    cases = Case.objects.filter(status__in=STARTED_STATUSES, pupil__in=pupils)
    if site is not None:
        cases = cases.filter(pupil__school_class__site=site)
    # One filter() call, so every condition applies to the same joined SchoolDay row.
    return (
        cases.filter(
            Q(**{f"{_DAY}__range": (date_from, date_to)}),
            Q(**{f"{_DAY}__gte": F("start_date")}),
            Q(actual_return_date__isnull=False, **{f"{_DAY}__lt": F("actual_return_date")})
            | Q(actual_return_date__isnull=True)
            & (Q(**{f"{_DAY}__lte": F("end_date")}) | Q(**{f"{_DAY}__lte": today})),
        )
        .annotate(day=F(_DAY))
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id", "day", "pk")
        .values_list(
            "pupil__last_name", "pupil__first_name", "pupil__upn", "day", "attendance_code"
        )
    )


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def attendance_lines(rows: Iterable[tuple]) -> Iterator[tuple[str, str, str, str, str]]:
    """An AM and a PM line for each remote day."""
    for last_name, first_name, upn, day, code in rows:
        name = _cell(f"{last_name}, {first_name}")
        for session in SESSIONS:
            yield (name, _cell(upn), f"{day:%d/%m/%Y}", session, code)


def attendance_csv(rows: Iterable[tuple]) -> tuple[str, int]:
    """The CSV text and the number of lines after the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    count = 0
    for line in attendance_lines(rows):
        writer.writerow(line)
        count += 1
    return buffer.getvalue(), count


def export_filename(date_from: datetime.date, date_to: datetime.date) -> str:
    return f"remote-education-attendance-{date_from:%Y-%m-%d}-to-{date_to:%Y-%m-%d}.csv"
