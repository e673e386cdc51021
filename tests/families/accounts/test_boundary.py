"""The boundary: a carer's account reaches the portal alone; staff never reach the portal."""

import pytest
from django.conf import settings
from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent
from families.middleware import PORTAL_PAGE_REFUSED, STAFF_PAGE_REFUSED
from tests.conftest import client_for
from tests.factories import PupilFactory
from tests.families.families import family

pytestmark = pytest.mark.django_db


def denials(detail: str) -> int:
    return AccessEvent.objects.filter(action=AccessAction.DENIED, detail=detail).count()


@pytest.fixture
def carer_user():
    return family(PupilFactory())[1]


@pytest.mark.parametrize(
    "name",
    ["schools:pupil_list", "contacts:today", "cases:case_list", "mfa_index", "admin:index"],
)
def test_every_staff_page_is_a_404_for_a_carer_and_is_audited(carer_user, name):
    response = client_for(carer_user).get(reverse(name))

    assert response.status_code == 404
    assert denials(STAFF_PAGE_REFUSED) == 1


def test_the_service_home_sends_a_carer_to_the_portal(carer_user):
    response = client_for(carer_user).get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("families:home")


def test_a_carer_is_not_asked_for_a_second_factor(carer_user):
    assert settings.MFA_REQUIRED
    assert client_for(carer_user).get(reverse("families:home")).status_code == 200


def test_a_carer_can_sign_out(carer_user):
    client = client_for(carer_user)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert client.get(reverse("families:home")).status_code == 302


def test_the_portal_is_a_404_for_staff_and_is_audited(world):
    response = client_for(world.users["headteacher"]).get(reverse("families:home"))

    assert response.status_code == 404
    assert denials(PORTAL_PAGE_REFUSED) == 1


def test_the_portal_sends_strangers_to_sign_in(client):
    response = client.get(reverse("families:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
