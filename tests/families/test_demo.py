"""The demo's parent login: a carer of two children on roll, with the demo password."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from accounts.models import User, UserKind
from families.permissions import children_of

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_parent_of_two_who_signs_in_to_the_portal(settings, client):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=StringIO())

    (parent,) = User.objects.filter(kind=UserKind.CARER)
    assert children_of(parent).count() >= 2
    assert parent.email in out.getvalue()
    response = client.post(
        reverse("account_login"), {"login": parent.email, "password": DEMO_PASSWORD}
    )
    assert response["Location"] == reverse("families:home")
