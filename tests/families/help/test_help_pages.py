"""A family asks for help: with the work (the class team sees it on Today) or with a device or
getting online (an IT request raised by the carer)."""

import pytest
import time_machine
from django.urls import reverse

from contacts.models import FamilyReport, FamilyReportKind
from itsupport.models import SupportRequest
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for


@pytest.fixture
def day(world_with_carers):
    build_calendar(world_with_carers.school)
    with time_machine.travel(london(2026, 12, 3, 9, 0), tick=False):
        yield world_with_carers


def ask(world, persona, about, text="The laptop will not charge."):
    return client_for(world.users[persona]).post(
        reverse("families:help_new", args=[world.pupil.pk]), {"about": about, "text": text}
    )


def test_help_with_a_device_is_an_it_request_raised_by_the_carer(day):
    assert ask(day, "carer", "device").status_code == 302
    request = SupportRequest.objects.get()
    assert request.raised_by_carer == day.carer and request.pupil == day.pupil
    assert request.raised_by == day.users["carer"]


def test_help_with_the_work_is_for_the_class_team_on_today(day):
    assert ask(day, "carer", "work", "He cannot open the worksheet.").status_code == 302
    assert FamilyReport.objects.get().kind == FamilyReportKind.NEEDS_HELP


def test_a_restricted_carer_cannot_ask(day):
    assert ask(day, "carer_restricted", "device").status_code == 404
    assert not SupportRequest.objects.exists()


def test_an_empty_request_is_refused_at_the_field(day):
    response = ask(day, "carer", "device", text="")
    assert response.status_code == 200 and response.context["form"].errors["text"]
