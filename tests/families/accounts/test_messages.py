"""A carer reads the messages the school sent their family: only their own copies, about
children they may see, newest first, paged."""

import pytest
from django.urls import reverse

from contacts.models import FamilyMessage, FamilyMessageDelivery, MessageScope
from tests.conftest import client_for
from tests.world import add_carer_personas

pytestmark = pytest.mark.django_db


def send(world, subject: str, carer, pupil) -> FamilyMessage:
    message = FamilyMessage.objects.create(
        school=world.school,
        scope=MessageScope.CLASS,
        school_class=world.class_a,
        subject=subject,
        body=f"Body of {subject} <b>bold</b>",
        sent_by=world.users["teacher"],
    )
    FamilyMessageDelivery.objects.create(message=message, carer=carer, pupil_id=pupil.pk)
    return message


@pytest.fixture
def families(world):
    return add_carer_personas(world)


def page_for(world, persona: str) -> str:
    response = client_for(world.users[persona]).get(reverse("families:messages"))
    assert response.status_code == 200
    return response.content.decode()


def test_two_families_of_the_same_class_never_see_each_others_messages(families):
    world = families
    send(world, "For Dana", world.carer, world.pupil)
    send(world, "For Sky", world.users["carer_classmate"].carer, world.classmate)

    dana, sky = page_for(world, "carer"), page_for(world, "carer_classmate")

    assert "For Dana" in dana and "For Sky" not in dana
    assert "For Sky" in sky and "For Dana" not in sky


def test_a_restricted_carer_and_a_leavers_carer_see_none(families):
    world = families
    send(world, "Restricted copy", world.users["carer_restricted"].carer, world.pupil)
    send(world, "Leaver copy", world.users["carer_leaver"].carer, world.leaver)

    assert "Restricted copy" not in page_for(world, "carer_restricted")
    assert "Leaver copy" not in page_for(world, "carer_leaver")


def test_messages_are_newest_first_and_escaped(families):
    world = families
    send(world, "Older", world.carer, world.pupil)
    send(world, "Newer", world.carer, world.pupil)

    html = page_for(world, "carer")

    assert html.index("Newer") < html.index("Older")
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_the_page_costs_the_same_queries_whatever_the_messages(families, django_assert_num_queries):
    world = families
    send(world, "One", world.carer, world.pupil)
    client = client_for(world.users["carer"])
    client.get(reverse("families:messages"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("families:messages"))
    for n in range(5):
        send(world, f"More {n}", world.carer, world.pupil)
    with django_assert_num_queries(len(one)):
        client.get(reverse("families:messages"))
