"""A concern can be raised from anywhere a pupil is shown (the pupil page, the case page, a
Today row, a session), not only after logging a contact: a link to the raising page with the
pupil chosen by id, shown only to those who may raise one (anyone who sees the pupil)."""

import datetime

import pytest
from django.urls import reverse

from contacts.models import AbsenceReason, CoverAssignment, StaffAbsence
from tests.conftest import client_for
from tests.contacts.test_today import (  # noqa: F401 (fixtures)
    calendar,
    cases,
    make_case,
    school_day,
)
from tests.safeguarding.sessions.matrix import session_for

pytestmark = pytest.mark.django_db

RAISE = reverse("safeguarding:concern_new")


def raise_link(pupil) -> str:
    return f'href="{RAISE}?pupil={pupil.pk}"'


def page(world, persona: str, url: str) -> str:
    response = client_for(world.users[persona]).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_pupil_page_offers_to_raise_a_concern_and_the_link_opens_with_the_pupil_chosen(world):
    body = page(world, "teacher", world.pupil.get_absolute_url())
    assert raise_link(world.pupil) in body
    assert "Marsh" not in RAISE  # ids only in the address
    form = client_for(world.users["teacher"]).get(f"{RAISE}?pupil={world.pupil.pk}")
    assert form.status_code == 200
    assert form.context["pupil"] == world.pupil


def test_the_case_page_offers_it_to_those_who_see_the_pupil(school_day):  # noqa: F811
    world = school_day
    case = make_case(world, world.pupil)
    for persona in ("teacher", "slt_class", "dsl", "headteacher"):
        assert raise_link(world.pupil) in page(world, persona, case.get_absolute_url())


def test_each_today_row_offers_it_but_not_to_cover_that_does_not_see_the_pupil(cases, world):  # noqa: F811
    body = page(world, "teacher", reverse("contacts:today"))
    assert raise_link(world.pupil) in body
    assert raise_link(world.other_pupil) not in body

    absence = StaffAbsence.objects.create(
        staff=world.users["other_teacher"],
        school=world.school,
        first_day=datetime.date(2026, 12, 2),
        last_day=datetime.date(2026, 12, 3),
        reason=AbsenceReason.SICKNESS,
        reported_by=world.users["headteacher"],
    )
    # Class staff of Ash covers Birch's pupil: they contact the family today, but the pupil is
    # not one they see, so the raising page would refuse them, and no link is offered.
    CoverAssignment.objects.create(
        case=cases["other"],
        absence=absence,
        covered_by=world.users["class_staff"],
        assigned_by=world.users["headteacher"],
    )
    body = page(world, "class_staff", reverse("contacts:today"))
    assert f'id="contact-row-{cases["other"].pk}"' in body
    assert raise_link(world.pupil) in body
    assert raise_link(world.other_pupil) not in body


def test_a_session_offers_it_for_each_pupil_the_person_sees(world):
    session = session_for(world)
    for persona in ("teacher", "slt_class"):
        assert raise_link(world.pupil) in page(world, persona, session.get_absolute_url())
