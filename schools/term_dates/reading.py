"""Reading term dates from a CSV file or an iCalendar (.ics) file, as LAs publish them.

Both give the same thing: terms (a name, a first and a last day) and days off within terms
(INSET, closure, holiday), each with where in the file it came from. Nothing here writes;
a file that cannot be read is refused with a message for the upload field.
"""

import csv
import datetime
import io
import re
from dataclasses import asdict, dataclass, field

import icalendar
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.dates import UK_DATE_INPUT_FORMATS
from schools.models import ClosureKind

MAX_BYTES = 1024 * 1024
CSV_HEADERS = ("type", "name", "first_day", "last_day")
CSV_TYPES = {
    "term": None,
    "inset": ClosureKind.INSET,
    "closure": ClosureKind.CLOSURE,
    "holiday": ClosureKind.HOLIDAY,
}
YEAR = re.compile(r"\b(19|20)\d\d\b")
NAME_MAX = 60
DESCRIPTION_MAX = 200


@dataclass(frozen=True)
class TermDates:
    name: str
    first_day: datetime.date
    last_day: datetime.date
    where: str = ""


@dataclass(frozen=True)
class DayOff:
    date: datetime.date
    kind: str
    description: str
    where: str = ""


@dataclass
class CalendarFile:
    terms: list[TermDates] = field(default_factory=list)
    days: list[DayOff] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def to_data(self) -> dict:
        """Plain data for carrying the checked file from the preview to the import."""
        return {
            "terms": [
                {
                    **asdict(t),
                    "first_day": t.first_day.isoformat(),
                    "last_day": t.last_day.isoformat(),
                }
                for t in self.terms
            ],
            "days": [{**asdict(d), "date": d.date.isoformat()} for d in self.days],
        }

    @classmethod
    def from_data(cls, data: dict) -> "CalendarFile":
        day = datetime.date.fromisoformat
        return cls(
            terms=[
                TermDates(t["name"], day(t["first_day"]), day(t["last_day"]), t["where"])
                for t in data["terms"]
            ],
            days=[
                DayOff(day(d["date"]), d["kind"], d["description"], d["where"])
                for d in data["days"]
            ],
        )


def _refuse(*problems: str) -> ValidationError:
    return ValidationError({"file": list(problems)})


def _weekdays(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days = (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5]


def _term_name(summary: str, first_day: datetime.date) -> str:
    """The file's own name, with the year added where it gives none (names are unique)."""
    name = " ".join(summary.split())
    if not YEAR.search(name):
        name = f"{name} {first_day.year}"
    return name[:NAME_MAX]


def _text(upload: bytes) -> str:
    try:
        return upload.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(
            "The file is not UTF-8 text. Save it again as UTF-8 and upload it."
        ) from error


# --- CSV --------------------------------------------------------------------------------------


def _csv_date(value: str) -> datetime.date | None:
    for pattern in UK_DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007 a date
        except ValueError:
            continue
    return None


def read_csv(upload: bytes) -> CalendarFile:
    """Rows of type (term, inset, closure or holiday), name, first_day and last_day."""
    try:
        rows = list(csv.reader(io.StringIO(_text(upload)), strict=True))
    except csv.Error as error:
        raise _refuse("This is not a CSV file that can be read.") from error
    if not rows:
        raise _refuse("The file is empty.")
    headers = tuple(cell.strip().lower() for cell in rows[0])
    if headers != CSV_HEADERS:
        raise _refuse(
            f"The first line must be the headers {','.join(CSV_HEADERS)}; this file has "
            f"{','.join(headers) or 'none'}."
        )
    result, problems = CalendarFile(), []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"Line {number}"
        cells = [cell.strip() for cell in row] + [""] * (len(CSV_HEADERS) - len(row))
        kind, name, first, last = cells[:4]
        if kind.lower() not in CSV_TYPES:
            problems.append(f"{where}: the type must be one of {', '.join(CSV_TYPES)}.")
            continue
        first_day = _csv_date(first)
        last_day = _csv_date(last) if last else first_day
        if first_day is None or last_day is None:
            problems.append(f"{where}: give the dates as DD/MM/YYYY.")
            continue
        if last_day < first_day:
            problems.append(f"{where}: the last day is before the first day.")
            continue
        closure_kind = CSV_TYPES[kind.lower()]
        if closure_kind is None:
            if not name:
                problems.append(f"{where}: give the term a name, for example Autumn 2026.")
                continue
            result.terms.append(TermDates(name[:NAME_MAX], first_day, last_day, where))
        else:
            result.days += [
                DayOff(day, closure_kind, name[:DESCRIPTION_MAX], where)
                for day in _weekdays(first_day, last_day)
            ]
    if problems:
        raise _refuse(*problems)
    if not result.terms and not result.days:
        raise _refuse("The file has headers but no term dates.")
    return result


# --- iCalendar --------------------------------------------------------------------------------


def _local_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _event_days(event: icalendar.Event) -> tuple[datetime.date, datetime.date]:
    """First and last day of an event; an all-day event's end is the day after its last."""
    start = event.decoded("dtstart")
    end = event.decoded("dtend") if "dtend" in event else None
    if end is None and "duration" in event:
        end = start + event.decoded("duration")
    first = _local_date(start)
    if end is None:
        return first, first
    if isinstance(end, datetime.datetime):
        last = _local_date(end - datetime.timedelta(microseconds=1))
    else:
        last = end - datetime.timedelta(days=1)
    return first, max(first, last)


def _ics_kind(summary: str) -> str | None:
    """What an event is, from its title: a term, or a kind of day off; '' to ignore it."""
    title = summary.lower()
    if "bank holiday" in title:
        return ""  # bank holidays come from the holidays package
    if "inset" in title or "training day" in title:
        return ClosureKind.INSET
    if "closed" in title or "closure" in title:
        return ClosureKind.CLOSURE
    if "half term" in title or "half-term" in title or "holiday" in title or "break" in title:
        return ClosureKind.HOLIDAY
    if "term" in title:
        return None
    return ""


def read_ics(upload: bytes) -> CalendarFile:
    """Events titled as terms become terms; INSET, closure and holiday events become days off;
    bank holidays and other events are listed as ignored."""
    text = _text(upload)
    if "BEGIN:VCALENDAR" not in text.upper():
        raise _refuse("This is not an iCalendar file (it should begin with BEGIN:VCALENDAR).")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise _refuse("This is not an iCalendar file that can be read.") from error
    events = calendar.walk("VEVENT")
    if not events:
        raise _refuse("This calendar has no events, so there are no term dates in it.")
    result, problems = CalendarFile(), []
    for number, event in enumerate(events, start=1):
        summary = str(event.get("summary", "")).strip()
        where = f"Event {number} ({summary[:40] or 'untitled'})"
        if "dtstart" not in event:
            problems.append(f"{where}: it has no start date.")
            continue
        try:
            first_day, last_day = _event_days(event)
        except (ValueError, TypeError, KeyError):
            problems.append(f"{where}: its dates cannot be read.")
            continue
        kind = _ics_kind(summary)
        if kind == "":
            result.ignored.append(f"{where}: {first_day:%d/%m/%Y}")
        elif kind is None:
            result.terms.append(
                TermDates(_term_name(summary, first_day), first_day, last_day, where)
            )
        else:
            result.days += [
                DayOff(day, kind, summary[:DESCRIPTION_MAX], where)
                for day in _weekdays(first_day, last_day)
            ]
    if problems:
        raise _refuse(*problems)
    if not result.terms and not result.days:
        raise _refuse(
            "No term dates were found: name term events with the word 'term' (Autumn term) "
            "and days off with INSET, closed or holiday."
        )
    return result


def read_calendar_file(upload: bytes, file_format: str) -> CalendarFile:
    if len(upload) > MAX_BYTES:
        raise _refuse(f"The file is larger than {MAX_BYTES // 1024} KB.")
    return read_ics(upload) if file_format == "ics" else read_csv(upload)
