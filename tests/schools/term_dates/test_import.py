"""Term dates imported from the LA's iCalendar file or a CSV: a preview first (a dry run that
writes nothing), then one transaction; a file that cannot be read says why at the field."""

import datetime as dt

import icalendar
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from schools.models import ClosureDay, ClosureKind, SchoolDay, Term
from schools.term_dates.reading import read_csv, read_ics
from schools.term_dates.services import calendar_import
from tests.calendar_files import la_calendar
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CSV = (
    "type,name,first_day,last_day\n"
    "term,Autumn 2026,02/09/2026,18/12/2026\n"
    "inset,INSET day: staff training,02/09/2026,\n"
    "holiday,Autumn half term,26/10/2026,30/10/2026\n"
    "term,Spring 2027,04/01/2027,26/03/2027\n"
)


LA_FILE = (
    ("Autumn term", dt.date(2026, 9, 2), dt.date(2026, 12, 18)),
    ("Autumn half term", dt.date(2026, 10, 26), dt.date(2026, 10, 30)),
    ("INSET day", dt.date(2026, 9, 2), dt.date(2026, 9, 2)),
    ("Christmas holiday", dt.date(2026, 12, 21), dt.date(2027, 1, 1)),
    ("Christmas Day bank holiday", dt.date(2026, 12, 25), dt.date(2026, 12, 25)),
    ("Spring term", dt.date(2027, 1, 4), dt.date(2027, 3, 26)),
)


@pytest.fixture(autouse=True)
def before_term():
    with time_machine.travel(dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def head(world):
    return client_for(world.users["headteacher"])


def upload(client, world, content: bytes, file_format: str, name: str = "terms.ics"):
    return client.post(
        reverse("schools:calendar_import", args=[world.school.pk]),
        {"file_format": file_format, "file": SimpleUploadedFile(name, content)},
    )


def confirm(client, world, preview):
    token = preview.context["confirm"]["plan"].value()
    return client.post(
        reverse("schools:calendar_import_confirm", args=[world.school.pk]), {"plan": token}
    )


def file_errors(response) -> str:
    return " ".join(response.context["form"].errors["file"])


def test_the_las_ics_file_is_previewed_then_imported_in_one_go(world, head):
    preview = upload(head, world, la_calendar(*LA_FILE), "ics")
    plan = preview.context["plan"]
    assert [term.name for term in plan.terms_added] == ["Autumn term 2026", "Spring term 2027"]
    assert len(plan.days_added) == 6  # five days of half term, one INSET day
    assert "Christmas Day bank holiday" in " ".join(plan.ignored)
    # The preview is the dry run: nothing is written.
    assert not Term.objects.exists() and not ClosureDay.objects.exists()
    assert not SchoolDay.objects.exists()

    response = confirm(head, world, preview)
    assert response.status_code == 302
    assert Term.objects.filter(school=world.school).count() == 2
    assert ClosureDay.objects.get(date=dt.date(2026, 9, 2)).kind == ClosureKind.INSET
    # The autumn term has 78 weekdays; six of them are days off.
    autumn = SchoolDay.objects.filter(date__lte=dt.date(2026, 12, 18)).count()
    assert autumn == 78 - 6
    assert AccessEvent.objects.filter(
        action=AccessAction.IMPORT, subject_id=str(world.school.pk)
    ).exists()


def test_importing_the_same_file_again_changes_nothing(world, head):
    confirm(head, world, upload(head, world, la_calendar(*LA_FILE), "ics"))
    again = upload(head, world, la_calendar(*LA_FILE), "ics")
    assert again.context["plan"].changes == 0
    assert again.context["confirm"] is None


def test_a_changed_term_date_is_shown_as_a_change(world, head):
    confirm(head, world, upload(head, world, la_calendar(*LA_FILE), "ics"))
    moved = (("Spring term", dt.date(2027, 1, 5), dt.date(2027, 3, 26)),)
    plan = upload(head, world, la_calendar(*moved), "ics").context["plan"]
    [(current, after)] = plan.terms_changed
    assert (current.first_day, after.first_day) == (dt.date(2027, 1, 4), dt.date(2027, 1, 5))


def test_a_csv_with_the_documented_headers_is_imported(world, head):
    preview = upload(head, world, CSV.encode(), "csv", "terms.csv")
    confirm(head, world, preview)
    assert list(Term.objects.values_list("name", flat=True)) == ["Autumn 2026", "Spring 2027"]
    assert ClosureDay.objects.filter(kind=ClosureKind.HOLIDAY).count() == 5


def test_a_csv_with_wrong_headers_is_refused_at_the_field(world, head):
    response = upload(head, world, b"term,start,end\nAutumn,02/09/2026,18/12/2026\n", "csv")
    assert "The first line must be the headers type,name,first_day,last_day" in file_errors(
        response
    )
    assert not Term.objects.exists()


def test_a_file_that_is_not_icalendar_is_refused(world, head):
    response = upload(head, world, b"Autumn term starts 2 September", "ics")
    assert "This is not an iCalendar file" in file_errors(response)


def test_a_garbled_icalendar_file_is_refused(world, head):
    response = upload(head, world, b"BEGIN:VCALENDAR\r\nthis is not a content line\r\n", "ics")
    assert "not an iCalendar file" in file_errors(response)


def test_a_calendar_with_no_events_is_refused(world, head):
    empty = icalendar.Calendar()
    empty.add("prodid", "-//Example LA//EN")
    empty.add("version", "2.0")
    response = upload(head, world, empty.to_ical(), "ics")
    assert "This calendar has no events" in file_errors(response)


def test_overlapping_terms_in_a_file_are_refused_and_nothing_is_written(world, head):
    overlapping = (*LA_FILE, ("Summer term", dt.date(2027, 3, 22), dt.date(2027, 7, 21)))
    response = upload(head, world, la_calendar(*overlapping), "ics")
    assert "Summer term 2027 overlaps Spring term 2027" in file_errors(response)
    assert response.context["confirm"] is None
    assert not Term.objects.exists()


def test_an_inset_day_outside_every_term_in_a_file_is_refused(world, head):
    stray = (*LA_FILE, ("INSET day", dt.date(2026, 8, 28), dt.date(2026, 8, 28)))
    response = upload(head, world, la_calendar(*stray), "ics")
    assert "28/08/2026 is outside every term" in file_errors(response)


def test_an_import_that_fails_part_way_leaves_nothing(world):
    """A term added by someone else between preview and import: the import refuses whole."""
    parsed = read_csv(CSV.encode())
    Term.objects.create(
        school=world.school,
        name="Summer 2026 extra",
        first_day=dt.date(2027, 3, 1),
        last_day=dt.date(2027, 3, 5),
    )
    with pytest.raises(ValidationError):
        calendar_import(
            actor=Actor.for_user(world.users["headteacher"]),
            school=world.school,
            parsed=parsed,
            source="csv",
        )
    assert Term.objects.count() == 1
    assert not ClosureDay.objects.exists() and not SchoolDay.objects.exists()


def test_a_preview_cannot_be_altered_before_it_is_confirmed(world, head):
    preview = upload(head, world, la_calendar(*LA_FILE), "ics")
    token = preview.context["confirm"]["plan"].value()
    response = head.post(
        reverse("schools:calendar_import_confirm", args=[world.school.pk]),
        {"plan": token[:-2] + "xx"},
        follow=True,
    )
    assert "The preview has expired" in response.content.decode()
    assert not Term.objects.exists()


def test_reading_an_event_given_as_times_takes_its_london_dates():
    calendar = icalendar.Calendar()
    event = icalendar.Event()
    event.add("summary", "Summer term")
    event.add("dtstart", dt.datetime(2027, 4, 11, 23, 30, tzinfo=dt.UTC))  # 00:30 BST on 12/04
    event.add("dtend", dt.datetime(2027, 7, 21, 15, 0, tzinfo=dt.UTC))
    calendar.add_component(event)
    [term] = read_ics(calendar.to_ical()).terms
    assert (term.first_day, term.last_day) == (dt.date(2027, 4, 12), dt.date(2027, 7, 21))


def test_a_csv_that_cannot_be_read_is_refused(world, head):
    broken = b'type,name,first_day,last_day\nterm,"Autumn 2026,02/09/2026'
    response = upload(head, world, broken, "csv", "terms.csv")
    assert "not a CSV file that can be read" in file_errors(response)


def test_a_year_out_of_range_shows_the_current_year(world, head):
    url = reverse("schools:calendar_detail", args=[world.school.pk])
    response = head.get(url, {"year": "99999"})
    assert response.status_code == 200 and response.context["calendar"].year == 2025
