"""Term-date files as a local authority publishes them, made in the tests."""

import datetime as dt

import icalendar


def la_calendar(*events: tuple[str, dt.date, dt.date]) -> bytes:
    """An iCalendar file of all-day events (title, first day, last day), each ending the day
    after its last day, as iCalendar has it."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Example LA//Term dates//EN")
    calendar.add("version", "2.0")
    for number, (title, first, last) in enumerate(events):
        event = icalendar.Event()
        event.add("uid", f"term-dates-{number}@la.example")
        event.add("dtstamp", dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
        event.add("summary", title)
        event.add("dtstart", first)
        event.add("dtend", last + dt.timedelta(days=1))
        calendar.add_component(event)
    return calendar.to_ical()
