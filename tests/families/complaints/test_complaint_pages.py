"""The carers' portal's page for a complaint or a worry."""

import pytest
import time_machine
from django.urls import reverse

from families.models import Complaint, ComplaintNotice
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for


@pytest.fixture
def day(world_with_carers):
    build_calendar(world_with_carers.school)
    with time_machine.travel(london(2026, 12, 3, 9, 0), tick=False):
        yield world_with_carers


def test_a_worry_goes_to_the_dsl_team_and_the_carer_is_told_when_to_expect_an_answer(day):
    client = client_for(day.users["carer"])
    response = client.post(
        reverse("families:complaint_new", args=[day.pupil.pk]),
        {"about_safety": "True", "text": "Someone at the bus stop frightened him."},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "The safeguarding team will respond by Thursday 17 December 2026" in page
    complaint = Complaint.objects.get()
    assert complaint.about_safety and complaint.carer == day.carer
    recipients = set(ComplaintNotice.objects.values_list("recipient", flat=True))
    assert recipients == {day.users["dsl"].pk, day.users["headteacher"].pk}


def test_another_familys_carer_cannot_complain_about_the_child(day):
    client = client_for(day.users["carer_classmate"])
    response = client.post(
        reverse("families:complaint_new", args=[day.pupil.pk]),
        {"about_safety": "False", "text": "x"},
    )
    assert response.status_code == 404 and not Complaint.objects.exists()
