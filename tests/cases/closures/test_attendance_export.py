"""The attendance export: every session each pupil spent on remote education, for the register
(policy section 2: pupils receiving remote education are marked absent)."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.attendance import remote_days
from cases.models import Case, Reason, Status
from cases.services import case_close, case_propose, closure_open
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from schools.models import Pupil
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for
from tests.factories import PupilFactory, SchoolClassFactory

URL = reverse("cases:attendance_export")
# When the class B closure below has just ended; its cases are not closed yet.
CLASS_B_BACK = datetime.date(2027, 1, 22)
HEADER = ["Pupil name", "UPN", "Date", "Session", "Attendance code"]


def d(day: str) -> datetime.date:
    return datetime.datetime.strptime(day, "%d/%m/%Y").date()  # noqa: DTZ007


@pytest.fixture
def school_year(world):
    """A calendar, and pupils whose remote education crosses the holidays:

    - Ellis Marsh (class A): class closure 21/12/2026 to 06/01/2027, over Christmas, Boxing
      Day (observed 28/12), New Year's Day and the INSET day on 04/01/2027, back on 07/01;
    - Rowan Tate (South): individual case 27/08/2026 to 03/09/2026, over the summer bank
      holiday (31/08/2026), closed when they came back on 04/09/2026;
    - Jude Penrose (class B): 22/03/2027 to 09/04/2027 over Easter, but back in school on
      Thursday 01/04/2027, so the case stops on 31/03/2027;
    - Quinn Proposed (class A's site): a case only proposed, never agreed.
    """
    build_calendar(world.school)
    head = world.users["headteacher"]
    with time_machine.travel(london(2026, 8, 27, 9, 0), tick=False):
        summer = case_propose(
            actor=Actor.for_user(head),
            pupil=world.south_pupil,
            reason=Reason.OPERATION,
            start_date=d("27/08/2026"),
            end_date=d("03/09/2026"),
            medical_agreement_not_needed="Planned surgery letter on file.",
        )
        Case.objects.filter(pk=summer.pk).update(status=Status.ACTIVE)
    with time_machine.travel(london(2026, 9, 4, 15, 0), tick=False):
        case_close(
            actor=Actor.for_user(head),
            case=summer,
            outcome="Recovered and back.",
            actual_return_date=d("04/09/2026"),
        )
    with time_machine.travel(london(2026, 12, 18, 9, 0), tick=False):
        closure_open(
            actor=Actor.for_user(head),
            school=world.school,
            reason=Reason.NOT_SAFE_TO_OPEN,
            start_date=d("21/12/2026"),
            end_date=d("06/01/2027"),
            school_class=world.class_a,
        )
    with time_machine.travel(london(2027, 1, 7, 15, 0), tick=False):
        case_close(
            actor=Actor.for_user(head),
            case=Case.objects.get(pupil=world.pupil),
            outcome="Class reopened.",
            actual_return_date=d("07/01/2027"),
        )
    with time_machine.travel(london(2027, 3, 19, 9, 0), tick=False):
        easter = case_propose(
            actor=Actor.for_user(head),
            pupil=world.other_pupil,
            reason=Reason.INFECTIOUS_ILLNESS,
            start_date=d("22/03/2027"),
            end_date=d("09/04/2027"),
            medical_agreement_not_needed="GP confirmed by phone.",
        )
        Case.objects.filter(pk=easter.pk).update(status=Status.ACTIVE)
    with time_machine.travel(london(2027, 4, 1, 15, 0), tick=False):
        case_close(
            actor=Actor.for_user(head),
            case=easter,
            outcome="Back in class.",
            actual_return_date=d("01/04/2027"),
        )
        proposed = PupilFactory(
            school_class=SchoolClassFactory(site=world.north, name="Fir"),
            first_name="Quinn",
            last_name="Proposed",
        )
        case_propose(
            actor=Actor.for_user(head),
            pupil=proposed,
            reason=Reason.INJURY,
            start_date=d("01/04/2027"),
            end_date=d("09/04/2027"),
        )
    with time_machine.travel(london(2027, 4, 20, 9, 0), tick=False):
        yield world


def _export(user, date_from, date_to, site=None):
    data = {"date_from": date_from, "date_to": date_to, "site": site.pk if site else ""}
    return client_for(user).post(URL, data)


def _rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == HEADER
    return rows[1:]


def _days(rows, upn) -> list[str]:
    """The dates of a pupil's lines, checking each has an AM then a PM line."""
    mine = [row for row in rows if row[1] == upn]
    assert [row[3] for row in mine] == ["AM", "PM"] * (len(mine) // 2)
    assert [row[2] for row in mine[::2]] == [row[2] for row in mine[1::2]]
    return [row[2] for row in mine[::2]]


def test_the_export_has_exactly_the_school_days_each_pupil_learned_remotely(school_year):
    world = school_year
    response = _export(world.users["headteacher"], "01/08/2026", "31/07/2027")

    assert response.status_code == 200
    rows = _rows(response)
    assert _days(rows, world.pupil.upn) == [
        "21/12/2026",
        "22/12/2026",
        "23/12/2026",
        "24/12/2026",
        # 25/12 Christmas Day, 26-27 weekend, 28/12 Boxing Day (observed)
        "29/12/2026",
        "30/12/2026",
        "31/12/2026",
        # 01/01 New Year's Day, 02-03 weekend, 04/01 INSET day
        "05/01/2027",
        "06/01/2027",
    ]
    assert _days(rows, world.south_pupil.upn) == [
        "27/08/2026",
        "28/08/2026",
        # 29-30 weekend, 31/08 summer bank holiday
        "01/09/2026",
        "02/09/2026",
        "03/09/2026",
    ]
    assert _days(rows, world.other_pupil.upn) == [
        "22/03/2027",
        "23/03/2027",
        "24/03/2027",
        "25/03/2027",
        # 26/03 Good Friday, 27-28 weekend, 29/03 Easter Monday
        "30/03/2027",
        "31/03/2027",
        # back in school on 01/04: nothing from then on
    ]
    proposed = Pupil.objects.get(last_name="Proposed")
    assert not [row for row in rows if row[1] == proposed.upn]
    assert len(rows) == 2 * (9 + 5 + 6)
    marsh = next(row for row in rows if row[1] == world.pupil.upn)
    assert marsh == ["Marsh, Ellis", world.pupil.upn, "21/12/2026", "AM", "Y3"]
    tate = next(row for row in rows if row[1] == world.south_pupil.upn)
    assert tate[4] == "I"
    # Sorted by surname, then date.
    assert [row[0] for row in rows[::2]] == sorted(row[0] for row in rows[::2])


def test_the_range_cuts_the_days_and_the_site_narrows_the_pupils(school_year):
    world = school_year
    rows = _rows(_export(world.users["headteacher"], "23/12/2026", "30/12/2026"))
    assert _days(rows, world.pupil.upn) == ["23/12/2026", "24/12/2026", "29/12/2026", "30/12/2026"]
    assert len(rows) == 8

    south = _rows(_export(world.users["headteacher"], "01/08/2026", "31/07/2027", world.south))
    assert {row[1] for row in south} == {world.south_pupil.upn}


def test_slt_export_only_the_pupils_they_lead(school_year):
    world = school_year
    rows = _rows(_export(world.users["slt_class"], "01/08/2026", "31/07/2027"))
    assert {row[1] for row in rows} == {world.pupil.upn}
    assert not _rows(_export(world.users["other_school_head"], "01/08/2026", "31/07/2027"))


def test_the_download_is_an_attachment_named_for_its_dates_and_never_cached(school_year):
    world = school_year
    response = _export(world.users["headteacher"], "01/12/2026", "31/01/2027")
    assert response["Content-Disposition"] == (
        'attachment; filename="remote-education-attendance-2026-12-01-to-2027-01-31.csv"'
    )
    assert "no-store" in response["Cache-Control"]


def test_each_export_is_audited_with_its_row_count_and_no_names(school_year):
    world = school_year
    head = world.users["headteacher"]
    _export(head, "01/12/2026", "31/01/2027", world.north)
    event = AccessEvent.objects.get(action=AccessAction.EXPORT)
    assert event.user_id == head.pk
    assert event.route == "cases:attendance_export"
    assert event.detail == f"attendance 2026-12-01 to 2027-01-31, site {world.north.pk}: 18 rows"
    assert "Marsh" not in event.detail and world.pupil.upn not in event.detail
    assert event.pupil_id is None


@pytest.mark.parametrize(
    ("date_from", "date_to", "field", "message"),
    [
        ("31/01/2027", "01/12/2026", "date_to", "The To date cannot be before the From date."),
        ("01/09/2026", "01/09/2027", "date_to", "Choose less than a year"),
        ("01/13/2026", "01/01/2027", "date_from", "Enter a date as DD/MM/YYYY"),
        ("", "01/01/2027", "date_from", "Enter a date as DD/MM/YYYY."),
    ],
)
def test_a_bad_range_is_refused_at_the_field_and_nothing_is_exported(
    school_year, date_from, date_to, field, message
):
    world = school_year
    response = _export(world.users["headteacher"], date_from, date_to)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not AccessEvent.objects.filter(action=AccessAction.EXPORT).exists()


def test_a_whole_academic_year_is_allowed(school_year):
    world = school_year
    response = _export(world.users["headteacher"], "01/09/2026", "31/08/2027")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_a_site_the_person_does_not_lead_is_refused(school_year):
    world = school_year
    response = _export(world.users["slt_other_site"], "01/09/2026", "31/08/2027", world.north)
    assert response.status_code == 200
    assert response.context["form"].errors["site"] == ["Choose a site from the list."]


@pytest.mark.parametrize("persona", ["teacher", "dsl", "it_staff", "dpo", "governor", "no_role"])
def test_people_who_do_not_lead_are_told_the_export_does_not_exist(school_year, persona):
    world = school_year
    user = world.users[persona]
    assert client_for(user).get(URL).status_code == 404
    assert _export(user, "01/09/2026", "31/08/2027").status_code == 404
    assert not AccessEvent.objects.filter(action=AccessAction.EXPORT).exists()
    assert (
        AccessEvent.objects.filter(
            action=AccessAction.DENIED, user_id=user.pk, route="cases:attendance_export"
        ).count()
        == 2
    )


def test_a_formula_in_a_name_is_not_run_by_a_spreadsheet(school_year):
    world = school_year
    Pupil.objects.filter(pk=world.pupil.pk).update(last_name="=HYPERLINK(1)")
    rows = _rows(_export(world.users["headteacher"], "21/12/2026", "21/12/2026"))
    assert rows[0][0] == "'=HYPERLINK(1), Ellis"


def test_the_rows_are_one_sql_statement_whatever_the_number_of_cases(school_year):
    world = school_year
    pupils = Pupil.objects.filter(school=world.school)
    with CaptureQueriesContext(connection) as few:
        list(
            remote_days(
                pupils=pupils,
                date_from=d("01/08/2026"),
                date_to=d("31/07/2027"),
                today=CLASS_B_BACK,
            )
        )
    PupilFactory.create_batch(30, school_class=world.class_b)
    with time_machine.travel(london(2027, 1, 8, 9, 0), tick=False):
        closure_open(
            actor=Actor.for_user(world.users["headteacher"]),
            school=world.school,
            reason=Reason.GOVERNMENT_GUIDANCE,
            start_date=d("11/01/2027"),
            end_date=d("22/01/2027"),
            school_class=world.class_b,
        )
    with CaptureQueriesContext(connection) as many:
        rows = list(
            remote_days(
                pupils=pupils,
                date_from=d("01/08/2026"),
                date_to=d("31/07/2027"),
                today=CLASS_B_BACK,
            )
        )
    assert len(few) == len(many) == 1
    assert len(rows) == 9 + 5 + 6 + 31 * 10


def test_the_export_costs_the_same_queries_for_few_or_many_cases(school_year):
    world = school_year
    client = client_for(world.users["headteacher"])
    data = {"date_from": "01/08/2026", "date_to": "31/07/2027", "site": ""}
    client.post(URL, data)
    with CaptureQueriesContext(connection) as few:
        client.post(URL, data)
    PupilFactory.create_batch(30, school_class=world.class_b)
    with time_machine.travel(london(2027, 1, 8, 9, 0), tick=False):
        closure_open(
            actor=Actor.for_user(world.users["headteacher"]),
            school=world.school,
            reason=Reason.GOVERNMENT_GUIDANCE,
            start_date=d("11/01/2027"),
            end_date=d("22/01/2027"),
            school_class=world.class_b,
        )
    with CaptureQueriesContext(connection) as many:
        client.post(URL, data)
    assert len(few) == len(many)


def test_a_case_closed_after_its_time_limit_runs_to_the_day_before_the_return(school_year):
    world = school_year
    # Jude's Easter case, had its time limit been 24/03 and the return only on 01/04: the
    # pupil was still at home, so still absent.
    Case.objects.filter(pupil=world.other_pupil).update(end_date=d("24/03/2027"))
    rows = _rows(_export(world.users["headteacher"], "01/03/2027", "30/04/2027"))
    assert _days(rows, world.other_pupil.upn) == [
        "22/03/2027",
        "23/03/2027",
        "24/03/2027",
        "25/03/2027",
        "30/03/2027",
        "31/03/2027",
    ]
