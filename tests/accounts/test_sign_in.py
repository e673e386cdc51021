"""Signing in: a password and an authenticator code, no public sign-up, no account enumeration."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.conftest import TEST_PASSWORD, totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


MISMATCH = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."


def sign_in(client: Client, user: User, *, password: str = TEST_PASSWORD, code: str | None = None):
    """Sign in through the real forms: email and password, then the authenticator code."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": code or totp_code()})


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


def form_errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def wrong_password_attempt(client: Client, email: str):
    return client.post(
        reverse("account_login"), {"login": email, "password": "Not-The-Password-1!"}
    )


# --- Two steps to sign in -----------------------------------------------------------------


def test_it_signs_in_with_password_then_authenticator_code(client, staff_user):
    response = sign_in(client, staff_user)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(staff_user.pk)
    assert client.get(reverse("home")).status_code == 200


def test_a_password_alone_does_not_sign_in(client, staff_user):
    client.post(reverse("account_login"), {"login": staff_user.email, "password": TEST_PASSWORD})

    assert signed_in_user_id(client) is None
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_accepts_the_email_address_in_any_case(client, staff_user):
    response = client.post(
        reverse("account_login"), {"login": staff_user.email.upper(), "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_a_wrong_authenticator_code_is_refused_with_a_form_error(client, staff_user):
    wrong = "000000" if totp_code() != "000000" else "111111"

    response = sign_in(client, staff_user, code=wrong)

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Incorrect code."]
    assert signed_in_user_id(client) is None
    assert client.get(reverse("home")).status_code == 302


def test_an_authenticator_code_cannot_be_used_twice(client, staff_user):
    with time_machine.travel(timezone.now(), tick=False):
        code = totp_code()
        sign_in(client, staff_user, code=code)
        assert signed_in_user_id(client) == str(staff_user.pk)
        client.post(reverse("account_logout"))

        response = sign_in(client, staff_user, code=code)

    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_a_wrong_password_and_an_unknown_email_get_the_same_message(client, staff_user):
    wrong_password = wrong_password_attempt(client, staff_user.email)
    unknown_email = wrong_password_attempt(client, "nobody-here@school.example")

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert form_errors(wrong_password) == form_errors(unknown_email) == [MISMATCH]
    assert signed_in_user_id(client) is None


def test_an_account_made_inactive_cannot_sign_in(client):
    leaver = UserFactory(password=TEST_PASSWORD, is_active=False)

    response = client.post(
        reverse("account_login"), {"login": leaver.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert signed_in_user_id(client) is None
    assert client.get(reverse("home")).status_code == 302


# --- Second factor required -----------------------------------------------------------------


def test_a_signed_in_user_without_an_authenticator_is_sent_to_set_one_up(client, user_without_mfa):
    client.force_login(user_without_mfa)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_user_without_an_authenticator_can_still_sign_out(client, user_without_mfa):
    client.force_login(user_without_mfa)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert signed_in_user_id(client) is None


def test_a_user_without_an_authenticator_may_reach_the_set_up_pages(client, user_without_mfa):
    client.force_login(user_without_mfa)

    response = client.get(reverse("mfa_index"))

    assert response.status_code == 200


def test_a_user_with_an_authenticator_reaches_home(signed_in_client):
    response = signed_in_client.get(reverse("home"))

    assert response.status_code == 200
    assert "Good" in response.content.decode()


def test_the_second_factor_is_not_demanded_when_mfa_is_switched_off(
    client, user_without_mfa, settings
):
    settings.MFA_REQUIRED = False
    client.force_login(user_without_mfa)

    assert client.get(reverse("home")).status_code == 200


# --- No public sign-up ----------------------------------------------------------------------


def test_sign_up_is_closed(client):
    response = client.get("/accounts/signup/")

    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


def test_posting_to_sign_up_creates_no_account(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "outsider@elsewhere.example",
            "password1": "Outsider-Password-77!",
            "password2": "Outsider-Password-77!",
        },
    )

    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert not User.objects.filter(email="outsider@elsewhere.example").exists()
    assert User.objects.count() == 0


# --- Rate limits ----------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, staff_user):
    for _ in range(5):
        response = wrong_password_attempt(client, staff_user.email)
        assert form_errors(response) == [MISMATCH]

    response = client.post(
        reverse("account_login"), {"login": staff_user.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 200
    assert form_errors(response) == [TOO_MANY]
    assert signed_in_user_id(client) is None


def test_four_wrong_passwords_still_let_the_right_one_through(client, staff_user):
    for _ in range(4):
        wrong_password_attempt(client, staff_user.email)

    response = client.post(
        reverse("account_login"), {"login": staff_user.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_the_account_lock_lifts_after_five_minutes(client, staff_user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            wrong_password_attempt(client, staff_user.email)
        traveller.shift(timedelta(minutes=5, seconds=1))

        response = client.post(
            reverse("account_login"), {"login": staff_user.email, "password": TEST_PASSWORD}
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_ten_failures_from_one_address_block_it_for_every_account(client, staff_user):
    for n in range(10):
        wrong_password_attempt(client, f"guess{n}@school.example")

    response = client.post(
        reverse("account_login"), {"login": staff_user.email, "password": TEST_PASSWORD}
    )

    assert form_errors(response) == [TOO_MANY]


def test_the_admin_sign_in_page_sends_people_to_the_staff_sign_in(client):
    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_posting_a_password_to_the_admin_sign_in_does_not_sign_in(client, admin_user):
    response = client.post(
        "/admin/login/", {"username": admin_user.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert signed_in_user_id(client) is None


def test_a_signed_in_non_administrator_is_refused_the_admin(signed_in_client):
    assert signed_in_client.get("/admin/login/").status_code == 403
    assert signed_in_client.get("/admin/").status_code == 302


def test_an_administrator_reaches_the_admin_after_both_steps(client, admin_user):
    sign_in(client, admin_user)

    assert client.get("/admin/").status_code == 200


# --- Password reset -------------------------------------------------------------------------


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, staff_user):
    known = client.post(reverse("account_reset_password"), {"email": staff_user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@school.example"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")


def test_password_reset_mails_a_link_only_to_a_known_address(client, staff_user):
    client.post(reverse("account_reset_password"), {"email": staff_user.email})
    client.post(reverse("account_reset_password"), {"email": "nobody@school.example"})

    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert "/accounts/password/reset/key/" in by_recipient[staff_user.email]
    assert "/accounts/password/reset/key/" not in by_recipient["nobody@school.example"]


def test_the_unknown_address_email_does_not_invite_a_sign_up(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@school.example"})

    (message,) = mail.outbox
    assert "/accounts/signup/" not in message.body
    assert "no staff account" in message.body


def reset_link(client: Client, user: User) -> str:
    client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    return re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)[1]


def test_a_password_reset_link_lets_the_person_choose_a_new_password(client, staff_user):
    link = reset_link(client, staff_user)

    form_page = client.get(link, follow=True)
    assert "Bad Token" not in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "A-New-Password-2027!", "password2": "A-New-Password-2027!"},
    )

    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password("A-New-Password-2027!")


def test_a_made_up_reset_link_shows_a_bad_token_page(client, staff_user):
    response = client.get("/accounts/password/reset/key/1-not-a-real-key/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Bad Token" in page
    assert "The password reset link was invalid" in page
    assert "Traceback" not in page


def test_an_expired_reset_link_shows_a_bad_token_page(client, staff_user, settings):
    link = reset_link(client, staff_user)

    with time_machine.travel(
        timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60), tick=False
    ):
        response = client.get(link, follow=True)

    assert response.status_code == 200
    assert "Bad Token" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_a_used_reset_link_cannot_be_used_again(client, staff_user):
    link = reset_link(client, staff_user)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "A-New-Password-2027!", "password2": "A-New-Password-2027!"},
    )

    response = Client().get(link, follow=True)

    assert "Bad Token" in response.content.decode()


def test_the_sign_in_page_offers_no_sign_up(client):
    page = client.get(reverse("account_login"))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("account_signup") not in body
    assert "sign up" not in body.lower()
    assert 'name="login"' in body and 'name="password"' in body
