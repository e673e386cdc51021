import pytest
from allauth.mfa.totp.internal.auth import TOTP

from tests.conftest import TEST_PASSWORD, TEST_TOTP_SECRET, totp_code
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_sign_in_with_password_and_authenticator_code(page):
    user = UserFactory(full_name="Sam Okafor-Lane", password=TEST_PASSWORD)
    TOTP.activate(user, TEST_TOTP_SECRET)

    page.goto("/")
    assert "/accounts/login/" in page.url

    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()

    page.get_by_role("heading", level=1).wait_for()
    assert "Sam" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("link", name="Skip to main content").count() == 1
    # Nothing the page loads may be blocked by the Content-Security-Policy.
    assert page.console_errors == []


def test_new_staff_member_must_set_up_mfa_before_anything_else(page):
    user = UserFactory(password=TEST_PASSWORD)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # Setting up a second factor is a sensitive change: allauth asks for the password again.
    page.get_by_role("heading", name="Confirm Access").wait_for()
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Activate Authenticator App").wait_for()

    # Anything else sends them back to set-up until it is done.
    page.goto("/")
    assert "/accounts/2fa/totp/activate/" in page.url

    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Good")
