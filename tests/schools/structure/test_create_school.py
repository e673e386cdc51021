"""manage.py create_school: the first run of a real school, from an empty database."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from dataprotection.models import AccessAction, AccessEvent
from schools.models import Membership, Role, School
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ARGS = ["--urn", "123456", "--name", "Heathergate School", "--la", "Midshire"]


def _create(*extra: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("create_school", *ARGS, "--email", "head@heathergate.example", *extra, stdout=out)
    return out.getvalue()


def _password(output: str) -> str:
    line = next(line for line in output.splitlines() if line.startswith("One-time password"))
    return line.rsplit(" ", 1)[1]


def test_it_creates_the_school_and_its_first_headteacher():
    output = _create("--full-name", "Sam Okafor")

    school = School.objects.get(urn="123456")
    assert (school.name, school.local_authority) == ("Heathergate School", "Midshire")
    head = User.objects.get(email="head@heathergate.example")
    assert head.full_name == "Sam Okafor"
    assert not head.is_staff
    assert Membership.objects.filter(user=head, school=school, role=Role.HEADTEACHER).exists()
    assert head.check_password(_password(output))


def test_the_audit_records_the_new_school_without_personal_data():
    _create()

    event = AccessEvent.objects.get(action=AccessAction.CREATE, subject_type="schools.school")
    head = User.objects.get(email="head@heathergate.example")
    assert event.subject_id == str(School.objects.get().pk)
    assert event.route == "create_school"
    assert "head@" not in event.detail and str(head.pk) in event.detail


def test_the_first_sign_in_must_set_up_two_step_verification():
    password = _password(_create())
    client = Client()

    assert client.login(email="head@heathergate.example", password=password)
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_first_account_may_be_an_administrator():
    _create("--administrator")

    admin = User.objects.get(email="head@heathergate.example")
    assert admin.is_staff and admin.is_superuser
    assert not Membership.objects.filter(user=admin).exists()


def test_an_existing_account_becomes_the_headteacher_and_keeps_its_password():
    user = UserFactory(email="head@heathergate.example", password="Kept-Password-1!")

    output = _create()

    assert "already has an account" in output and "One-time password" not in output
    user.refresh_from_db()
    assert user.check_password("Kept-Password-1!")
    assert Membership.objects.filter(user=user, role=Role.HEADTEACHER).exists()


def test_a_second_run_with_the_same_urn_is_refused_and_changes_nothing():
    _create()
    users = User.objects.count()

    with pytest.raises(CommandError, match="A school with URN 123456 already exists") as refused:
        call_command("create_school", *ARGS, "--email", "other@heathergate.example", stdout=None)

    assert refused.value.returncode == 1
    assert School.objects.count() == 1
    assert User.objects.count() == users


@pytest.mark.parametrize("urn", ["12345", "1234567", "12345a", ""])
def test_a_urn_that_is_not_six_digits_is_refused(urn):
    with pytest.raises(CommandError, match="--urn: A URN is six digits"):
        call_command(
            "create_school", "--urn", urn, "--name", "A", "--la", "B", "--email", "a@b.example"
        )
    assert not School.objects.exists()
    assert not User.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "head@", ""])
def test_a_bad_email_is_refused_and_nothing_is_written(email):
    with pytest.raises(CommandError, match="--email: Enter an email address"):
        call_command("create_school", *ARGS, "--email", email)
    assert not School.objects.exists()
    assert not User.objects.exists()
