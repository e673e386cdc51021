"""The carers' portal pages where a family tells the school about their child: each through
the one gate (families.permissions.access_child), phone-first, with a confirmation, and
written as the carer's own action."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import WorkFeedback
from contacts.models import FamilyReport, FamilyReportKind
from dataprotection.models import AccessAction, AccessEvent
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for
from tests.contacts.test_today import make_case

THURSDAY = datetime.date(2026, 12, 3)


@pytest.fixture
def day(world_with_carers):
    build_calendar(world_with_carers.school)
    with time_machine.travel(london(2026, 12, 3, 9, 0), tick=False):
        yield world_with_carers


def url(name: str, pupil) -> str:
    return reverse(f"families:{name}", args=[pupil.pk])


def report(client, pupil, **data):
    values = {"kind": FamilyReportKind.UNWELL, "day": "03/12/2026", "note": ""} | data
    return client.post(url("report_new", pupil), values)


def test_a_carer_reports_their_child_unwell_and_the_teacher_sees_it_on_today(day):
    world = day
    make_case(world, world.pupil)
    client = client_for(world.users["carer"])
    response = report(client, world.pupil, note="Temperature since last night.")
    assert response.status_code == 302
    assert response.url == url("report_done", world.pupil)
    done = client.get(response.url).content.decode()
    assert "Thank you — " in done and "class team has been told" in done
    made = FamilyReport.objects.get()
    assert (made.carer, made.reported_by) == (world.carer, world.users["carer"])
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, user_id=world.users["carer"].pk, pupil_id=world.pupil.pk
    ).exists()
    today = client_for(world.users["teacher"]).get(reverse("contacts:today")).content.decode()
    assert "Family reported: unwell" in today
    assert "Reported by Dana Marsh (parent/carer)" in today


@pytest.mark.parametrize("persona", ["carer_classmate", "carer_restricted", "carer_leaver"])
def test_a_carer_who_may_not_see_the_child_gets_404_audited_and_nothing_is_written(day, persona):
    world = day
    client = client_for(world.users[persona])
    assert client.get(url("report_new", world.pupil)).status_code == 404
    assert report(client, world.pupil).status_code == 404
    assert not FamilyReport.objects.exists()
    assert (
        AccessEvent.objects.filter(
            action=AccessAction.DENIED, user_id=world.users[persona].pk
        ).count()
        == 2
    )


def test_staff_never_reach_a_portal_page(day):
    world = day
    for persona in ("teacher", "headteacher", "dsl"):
        assert client_for(world.users[persona]).get(url("report_new", world.pupil)).status_code == (
            404
        )


def test_a_carer_of_two_siblings_reports_for_each(day):
    world = day
    client = client_for(world.users["carer_siblings"])
    assert report(client, world.pupil).status_code == 302
    assert report(client, world.sibling).status_code == 302
    assert FamilyReport.objects.count() == 2


def test_a_day_the_school_is_shut_and_an_oversized_note_are_refused_at_the_field(day):
    world = day
    client = client_for(world.users["carer"])
    saturday = report(client, world.pupil, day="05/12/2026")
    assert saturday.status_code == 200
    assert "not a school day" in str(saturday.context["form"].errors["day"])
    long = report(client, world.pupil, note="x" * 501)
    assert long.status_code == 200 and "characters or fewer" in str(
        long.context["form"].errors["note"]
    )
    assert not FamilyReport.objects.exists()


def test_a_carer_says_how_the_work_went_and_it_lands_beside_the_provision(day):
    world = day
    case = make_case(world, world.pupil)
    client = client_for(world.users["carer"])
    response = client.post(
        url("feedback_new", world.pupil),
        {"period": "day", "starts_on": "03/12/2026", "rating": "went_well", "note": "<b>Fun</b>"},
    )
    assert response.status_code == 302
    assert WorkFeedback.objects.get().case == case
    page = client_for(world.users["teacher"]).get(case.get_absolute_url()).content.decode()
    assert "reported by Dana Marsh (parent/carer)" in page and "&lt;b&gt;Fun&lt;/b&gt;" in page


def test_feedback_needs_remote_education_running(day):
    world = day
    response = client_for(world.users["carer"]).get(url("feedback_new", world.pupil))
    assert response.status_code == 200 and "no work to tell us about" in response.content.decode()
