"""The demo loader: known logins for trying the service, never on a production server."""

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from accounts.models import User
from tests.accounts.test_sign_in import sign_in
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[list, list]:
    users = list(User.objects.order_by("pk").values_list("pk", "email", "password"))
    authenticators = list(
        Authenticator.objects.order_by("pk").values_list("pk", "user_id", "type", "data")
    )
    return users, authenticators


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_loading_the_demo_twice_changes_nothing(settings):
    settings.DEBUG = True

    load_demo()
    first = snapshot()
    load_demo()

    assert snapshot() == first


def test_every_demo_login_gets_one_authenticator_app(settings):
    settings.DEBUG = True

    load_demo()

    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD)
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1


def test_the_demo_administrator_may_use_the_admin(settings):
    settings.DEBUG = True

    load_demo()

    admin = User.objects.get(email=next(a.email for a in DEMO_ACCOUNTS if a.is_admin))
    assert admin.is_staff and admin.is_superuser
    teacher = User.objects.get(email=next(a.email for a in DEMO_ACCOUNTS if not a.is_admin))
    assert not teacher.is_staff and not teacher.is_superuser


def test_the_demo_loader_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG off"):
        load_demo()

    assert not User.objects.exists()


def test_every_demo_login_signs_in_with_its_published_secret(settings):
    settings.DEBUG = True
    load_demo()

    for n, account in enumerate(DEMO_ACCOUNTS):
        # One address each, or the sign-in rate limit (30 a minute per address) would bite.
        client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        user = User.objects.get(email=account.email)
        response = sign_in(
            client, user, password=DEMO_PASSWORD, code=totp_code(account.totp_secret)
        )
        assert response["Location"] == reverse("home"), account.email


def test_demo_codes_are_printed_only_with_debug_on(settings, capsys):
    settings.DEBUG = True
    call_command("demo_totp")
    printed = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert f"{totp_code(account.totp_secret)}  {account.email}" in printed

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_totp")
