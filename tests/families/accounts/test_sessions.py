"""A carer's session is shorter than staff's: 15 idle minutes, 2 hours in all; an ended
account is signed out at its next request."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import PupilFactory
from tests.families.families import family

pytestmark = pytest.mark.django_db

NINE_AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOME = "families:home"


@pytest.fixture
def clock():
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def carer_client():
    return client_for(family(PupilFactory())[1])


def assert_signed_out(response, client) -> None:
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert SESSION_KEY not in client.session


def test_a_carer_stays_signed_in_after_fourteen_idle_minutes(clock, carer_client):
    assert carer_client.get(reverse(HOME)).status_code == 200

    clock.shift(timedelta(minutes=14))

    assert carer_client.get(reverse(HOME)).status_code == 200


def test_a_carer_is_signed_out_after_fifteen_idle_minutes(clock, carer_client):
    assert carer_client.get(reverse(HOME)).status_code == 200

    clock.shift(timedelta(minutes=15, seconds=1))
    response = carer_client.get(reverse(HOME))

    assert_signed_out(response, carer_client)
    page = carer_client.get(response["Location"])
    assert "signed out after 15 minutes without activity" in page.content.decode()


def test_a_carer_is_signed_out_after_two_hours_even_when_active(clock, carer_client):
    assert carer_client.get(reverse(HOME)).status_code == 200
    for _ in range(11):
        clock.shift(timedelta(minutes=10))
        assert carer_client.get(reverse(HOME)).status_code == 200

    clock.shift(timedelta(minutes=10, seconds=1))
    response = carer_client.get(reverse(HOME))

    assert_signed_out(response, carer_client)
    assert "signed out after 2 hours" in carer_client.get(response["Location"]).content.decode()


def test_staff_keep_their_longer_session(clock, signed_in_client):
    assert signed_in_client.get(reverse("home")).status_code == 200

    clock.shift(timedelta(minutes=19))

    assert signed_in_client.get(reverse("home")).status_code == 200


def test_an_ended_account_is_signed_out_at_its_next_request():
    child = PupilFactory()
    _, user = family(child)
    client = client_for(user)
    assert client.get(reverse(HOME)).status_code == 200

    user.is_active = False
    user.save()

    response = client.get(reverse(HOME))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
