"""Session rules: idle and absolute time-outs, and leavers signed out at once."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

pytestmark = pytest.mark.django_db

# A Monday morning in term time; the exact moment does not matter, only that it is fixed.
NINE_AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def is_signed_in(client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200


def assert_signed_out(response, client) -> None:
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert SESSION_KEY not in client.session


@pytest.fixture
def clock():
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        yield traveller


def test_it_stays_signed_in_after_nineteen_idle_minutes(clock, signed_in_client):
    assert is_signed_in(signed_in_client)

    clock.shift(timedelta(minutes=19))

    assert is_signed_in(signed_in_client)


def test_it_signs_out_after_twenty_idle_minutes(clock, signed_in_client):
    assert is_signed_in(signed_in_client)

    clock.shift(timedelta(minutes=20, seconds=1))
    response = signed_in_client.get(reverse("home"))

    assert_signed_out(response, signed_in_client)
    login_page = signed_in_client.get(response["Location"])
    assert "signed out after 20 minutes without activity" in login_page.content.decode()


def test_activity_resets_the_idle_clock(clock, signed_in_client):
    for _ in range(4):
        assert is_signed_in(signed_in_client)
        clock.shift(timedelta(minutes=15))

    assert is_signed_in(signed_in_client)


def test_it_signs_out_after_nine_hours_even_when_active(clock, signed_in_client):
    assert is_signed_in(signed_in_client)

    # Active every ten minutes for eight hours and fifty minutes: still signed in.
    for _ in range(53):
        clock.shift(timedelta(minutes=10))
        assert is_signed_in(signed_in_client)

    clock.shift(timedelta(minutes=10, seconds=1))
    response = signed_in_client.get(reverse("home"))

    assert_signed_out(response, signed_in_client)
    login_page = signed_in_client.get(response["Location"])
    assert "signed out after 9 hours" in login_page.content.decode()


def test_the_idle_timeout_is_configurable(clock, signed_in_client, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    assert is_signed_in(signed_in_client)

    clock.shift(timedelta(minutes=4))
    assert is_signed_in(signed_in_client)
    clock.shift(timedelta(minutes=5, seconds=1))

    assert_signed_out(signed_in_client.get(reverse("home")), signed_in_client)


def test_the_absolute_timeout_is_configurable(clock, signed_in_client, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 60 * 60
    assert is_signed_in(signed_in_client)

    for _ in range(5):
        clock.shift(timedelta(minutes=10))
        assert is_signed_in(signed_in_client)
    clock.shift(timedelta(minutes=10, seconds=1))

    assert_signed_out(signed_in_client.get(reverse("home")), signed_in_client)


def test_a_user_made_inactive_is_signed_out_at_their_next_request(signed_in_client, staff_user):
    assert is_signed_in(signed_in_client)

    staff_user.is_active = False
    staff_user.save(update_fields=["is_active"])
    response = signed_in_client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not response.wsgi_request.user.is_authenticated


def test_an_htmx_request_on_an_expired_session_is_sent_to_sign_in(clock, signed_in_client):
    assert is_signed_in(signed_in_client)

    clock.shift(timedelta(minutes=21))
    response = signed_in_client.get(reverse("home"), headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("account_login")
    assert SESSION_KEY not in signed_in_client.session


def test_an_htmx_request_on_a_live_session_is_answered_normally(clock, signed_in_client):
    assert is_signed_in(signed_in_client)

    clock.shift(timedelta(minutes=5))
    response = signed_in_client.get(reverse("home"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "HX-Redirect" not in response


def test_a_healthz_poll_does_not_keep_a_session_alive_past_its_limit(clock, signed_in_client):
    assert is_signed_in(signed_in_client)

    clock.shift(timedelta(minutes=21))
    signed_in_client.get(reverse("healthz"))

    assert SESSION_KEY not in signed_in_client.session
