"""The attendance export covers every school day a pupil learned at home, AM and PM, from the
start to the day before the return, even past the time limit (the time-limit flag is what asks
for a review). A closure of a class uses the code for part of the premises closed (Y3); a
closure of a whole site the code for the site closed (Y4)."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from cases.models import Case, Reason, Status
from cases.services import case_close, case_propose, closure_open
from core.actor import Actor
from schools.models import Term
from schools.services import school_days_refresh
from tests.cases.closures.matrix import london
from tests.conftest import client_for

URL = reverse("cases:attendance_export")


def d(day: str) -> datetime.date:
    return datetime.datetime.strptime(day, "%d/%m/%Y").date()  # noqa: DTZ007


def weekdays(first: str, last: str) -> list[str]:
    day, end, found = d(first), d(last), []
    while day <= end:
        if day.weekday() < 5:
            found.append(f"{day:%d/%m/%Y}")
        day += datetime.timedelta(days=1)
    return found


@pytest.fixture
def spring(world):
    """Spring 2027 in two halves around the February half term; the second half ends on Good
    Friday (a bank holiday); British Summer Time starts on Sunday 28/03 in the Easter holiday;
    the summer term starts on 12/04."""
    for name, first, last in [
        ("Spring 1", "04/01/2027", "12/02/2027"),
        ("Spring 2", "22/02/2027", "26/03/2027"),
        ("Summer 1", "12/04/2027", "28/05/2027"),
    ]:
        Term.objects.create(school=world.school, name=name, first_day=d(first), last_day=d(last))
    school_days_refresh(school=world.school)
    return world


def _individual_case(world, pupil, start: str, limit: str) -> Case:
    case = case_propose(
        actor=Actor.for_user(world.users["headteacher"]),
        pupil=pupil,
        reason=Reason.SEND_OR_MENTAL_HEALTH,
        start_date=d(start),
        end_date=d(limit),
        health_professional_should_agree=False,
    )
    Case.objects.filter(pk=case.pk).update(status=Status.ACTIVE)
    return Case.objects.get(pk=case.pk)


def _export(world, date_from: str, date_to: str) -> list[list[str]]:
    response = client_for(world.users["headteacher"]).post(
        URL, {"date_from": date_from, "date_to": date_to, "site": ""}
    )
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))[1:]


def _days(rows, pupil) -> list[str]:
    mine = [row for row in rows if row[1] == pupil.upn]
    assert [row[3] for row in mine] == ["AM", "PM"] * (len(mine) // 2)
    assert [row[2] for row in mine[::2]] == [row[2] for row in mine[1::2]]
    return [row[2] for row in mine[::2]]


def test_every_school_day_from_the_start_to_the_day_before_the_return(spring):
    world = spring
    with time_machine.travel(london(2027, 2, 10, 9, 0), tick=False):
        case = _individual_case(world, world.pupil, "10/02/2027", "24/02/2027")
    # Back in school on Tuesday 13/04, weeks after the time limit; nobody held a review.
    with time_machine.travel(london(2027, 4, 13, 15, 0), tick=False):
        case_close(
            actor=Actor.for_user(world.users["headteacher"]),
            case=case,
            outcome="Back in class.",
            actual_return_date=d("13/04/2027"),
        )
        rows = _export(world, "01/02/2027", "30/04/2027")

    assert _days(rows, world.pupil) == [
        "10/02/2027",
        "11/02/2027",
        "12/02/2027",
        # 15-19/02 half term
        *weekdays("22/02/2027", "25/03/2027"),  # past the time limit of 24/02
        # 26/03 Good Friday; 28/03 the clocks go forward; 29/03-09/04 Easter holidays
        "12/04/2027",
        # back on 13/04: nothing from then on
    ]
    assert {row[4] for row in rows} == {"Y7"}


def test_an_open_case_past_its_time_limit_goes_on_to_today(spring):
    world = spring
    with time_machine.travel(london(2027, 3, 22, 9, 0), tick=False):
        _individual_case(world, world.pupil, "22/03/2027", "24/03/2027")
    with time_machine.travel(london(2027, 4, 13, 9, 0), tick=False):
        rows = _export(world, "01/03/2027", "30/04/2027")
    assert _days(rows, world.pupil) == [
        "22/03/2027",
        "23/03/2027",
        "24/03/2027",
        "25/03/2027",
        "12/04/2027",
        "13/04/2027",
    ]


def test_a_class_closure_is_part_of_the_premises_and_a_site_closure_the_whole_site(spring):
    world = spring
    head = Actor.for_user(world.users["headteacher"])
    with time_machine.travel(london(2027, 3, 1, 9, 0), tick=False):
        closure_open(
            actor=head,
            school=world.school,
            reason=Reason.NOT_SAFE_TO_OPEN,
            start_date=d("01/03/2027"),
            end_date=d("03/03/2027"),
            school_class=world.class_a,
        )
        closure_open(
            actor=head,
            school=world.school,
            reason=Reason.NOT_SAFE_TO_OPEN,
            start_date=d("01/03/2027"),
            end_date=d("03/03/2027"),
            site=world.south,
        )
    with time_machine.travel(london(2027, 3, 3, 15, 0), tick=False):
        rows = _export(world, "01/03/2027", "03/03/2027")
    codes = {row[1]: row[4] for row in rows}
    assert codes[world.pupil.upn] == "Y3"
    assert codes[world.south_pupil.upn] == "Y4"
