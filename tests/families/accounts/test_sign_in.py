"""Signing in to the carers' portal by a code sent by email, or a password; staff who sign in
by code still give their authenticator code."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from tests.conftest import TEST_PASSWORD, totp_code
from tests.factories import PupilFactory
from tests.families.families import family

pytestmark = pytest.mark.django_db


def request_code(client, email: str) -> str:
    response = client.post(reverse("account_request_login_code"), {"email": email})
    assert response.status_code == 302, response.content.decode()
    (message,) = mail.outbox
    return re.search(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", message.body, re.MULTILINE).group(1)


def test_a_carer_signs_in_with_an_emailed_code_and_lands_on_the_portal(client):
    _, user = family(PupilFactory())

    code = request_code(client, user.email)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert response["Location"] == reverse("families:home")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(reverse("families:home")).status_code == 200


def test_a_carer_signs_in_with_a_password_without_a_second_factor(client):
    _, user = family(PupilFactory())

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("families:home")


def test_a_wrong_code_does_not_sign_in(client):
    _, user = family(PupilFactory())
    code = request_code(client, user.email)
    wrong = "ZZZ-ZZZ" if code != "ZZZ-ZZZ" else "XXX-XXX"

    client.post(reverse("account_confirm_login_code"), {"code": wrong})

    assert SESSION_KEY not in client.session


def test_staff_signing_in_by_code_still_need_their_authenticator_code(client, staff_user):
    code = request_code(client, staff_user.email)

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(staff_user.pk)


def test_staff_without_a_second_factor_who_sign_in_by_code_must_set_one_up(
    client, user_without_mfa
):
    code = request_code(client, user_without_mfa.email)
    client.post(reverse("account_confirm_login_code"), {"code": code})

    response = client.get(reverse("schools:pupil_list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
