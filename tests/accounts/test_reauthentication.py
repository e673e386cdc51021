"""Changing how one signs in needs proof of identity from the last five minutes."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse

from tests.accounts.test_sign_in import sign_in
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def reauthenticate_url_for(url: str) -> str:
    return reverse("account_reauthenticate") + "?" + urlencode({"next": url})


@pytest.fixture
def clock():
    with time_machine.travel(SIGN_IN_TIME, tick=False) as traveller:
        yield traveller


def test_a_user_signed_in_over_five_minutes_ago_must_reauthenticate_to_change_password(
    clock, client, staff_user
):
    sign_in(client, staff_user)
    clock.shift(timedelta(minutes=5, seconds=1))

    response = client.get(reverse("account_change_password"))

    assert response.status_code == 302
    assert response["Location"] == reauthenticate_url_for(reverse("account_change_password"))


def test_a_user_who_just_signed_in_may_change_password_at_once(clock, client, staff_user):
    sign_in(client, staff_user)
    clock.shift(timedelta(minutes=4))

    response = client.get(reverse("account_change_password"))

    assert response.status_code == 200


def test_a_session_with_no_record_of_signing_in_must_reauthenticate(signed_in_client):
    response = signed_in_client.get(reverse("account_change_password"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_after_reauthenticating_the_change_password_page_opens(clock, client, staff_user):
    sign_in(client, staff_user)
    clock.shift(timedelta(minutes=10))
    change_password = reverse("account_change_password")

    response = client.post(
        reauthenticate_url_for(change_password),
        {"password": TEST_PASSWORD, "next": change_password},
    )
    assert response.status_code == 302
    assert response["Location"] == change_password

    assert client.get(change_password).status_code == 200


def test_a_wrong_password_at_reauthentication_keeps_the_page_closed(clock, client, staff_user):
    sign_in(client, staff_user)
    clock.shift(timedelta(minutes=10))
    change_password = reverse("account_change_password")

    response = client.post(
        reauthenticate_url_for(change_password),
        {"password": "Not-The-Password-1!", "next": change_password},
    )

    assert response.status_code == 200
    assert client.get(change_password).status_code == 302


def test_a_password_posted_to_a_stale_session_is_neither_changed_nor_kept(
    clock, client, staff_user
):
    sign_in(client, staff_user)
    clock.shift(timedelta(minutes=10))

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "A-New-Password-2027!",
            "password2": "A-New-Password-2027!",
        },
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    staff_user.refresh_from_db()
    assert staff_user.check_password(TEST_PASSWORD)
    # The form is not stashed in the session to be replayed after re-authenticating.
    assert "A-New-Password-2027!" not in repr(dict(client.session.items()))
