import re

import pytest
from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent
from schools.permissions import can_view_pupil, pupil_access, pupils_visible_to
from tests.conftest import client_for
from tests.factories import PupilFactory


def _without_nonce(content: bytes) -> bytes:
    """The page without what differs on every response: CSP nonces and CSRF tokens."""
    content = re.sub(rb'nonce="[^"]+"', b"", content)
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b"", content)


SEES_THE_PUPIL = {
    "teacher",
    "class_staff",
    "slt_class",
    "headteacher",
    "dsl",
    "it_staff",
    "family_support_shared",
    "nurse_shared",
}


def test_each_persona_sees_the_pupil_exactly_when_the_rules_say(world):
    for key, user in world.users.items():
        expected = key in SEES_THE_PUPIL
        assert can_view_pupil(user, world.pupil) is expected, key
        assert pupils_visible_to(user).filter(pk=world.pupil.pk).exists() is expected, key


@pytest.mark.parametrize("persona", sorted(SEES_THE_PUPIL))
def test_the_profile_opens_for_those_who_may_see_the_pupil(world, persona):
    response = client_for(world.users[persona]).get(world.pupil.get_absolute_url())
    assert response.status_code == 200
    assert AccessEvent.objects.filter(
        action=AccessAction.VIEW, pupil_id=world.pupil.pk, user_id=world.users[persona].pk
    ).exists()


@pytest.mark.parametrize(
    "persona",
    sorted(
        {
            "other_teacher",
            "slt_other_site",
            "deputy_dsl_other_site",
            "dpo",
            "family_support_unshared",
            "governor",
            "chair",
            "other_school_head",
            "no_role",
            "administrator",
        }
    ),
)
def test_everyone_else_gets_not_found_and_the_refusal_is_audited(world, persona):
    user = world.users[persona]
    response = client_for(user).get(world.pupil.get_absolute_url())
    assert response.status_code == 404
    assert "Ellis" not in response.content.decode()
    denial = AccessEvent.objects.get(action=AccessAction.DENIED, user_id=user.pk)
    assert denial.pupil_id == world.pupil.pk
    assert denial.subject_type == "schools.pupil"


def test_a_pupil_that_does_not_exist_looks_the_same_as_one_you_may_not_see(world):
    client = client_for(world.users["teacher"])
    missing = client.get(reverse("schools:pupil_detail", args=[999999]))
    hidden = client.get(world.other_pupil.get_absolute_url())
    assert missing.status_code == hidden.status_code == 404
    assert _without_nonce(missing.content) == _without_nonce(hidden.content)


def test_it_staff_see_name_and_class_but_no_details_or_contacts(world):
    content = client_for(world.users["it_staff"]).get(world.pupil.get_absolute_url()).content
    page = content.decode()
    assert "Ellis Marsh" in page
    assert "Ash" in page
    assert world.pupil.upn not in page
    assert "07700 900123" not in page
    assert "Dana Marsh" not in page


@pytest.mark.parametrize("persona", ["teacher", "dsl", "family_support_shared", "headteacher"])
def test_the_profile_shows_carers_but_not_their_contact_details(world, persona):
    page = client_for(world.users[persona]).get(world.pupil.get_absolute_url()).content.decode()
    assert "Dana Marsh" in page
    assert "07700 900123" not in page
    assert reverse("schools:pupil_carer_contacts", args=[world.pupil.pk]) in page


@pytest.mark.parametrize("persona", ["teacher", "dsl", "family_support_shared", "headteacher"])
def test_roles_that_contact_families_see_contact_details_on_request_and_it_is_recorded(
    world, persona
):
    user = world.users[persona]
    url = reverse("schools:pupil_carer_contacts", args=[world.pupil.pk])
    page = client_for(user).post(url).content.decode()
    assert "07700 900123" in page
    event = AccessEvent.objects.filter(user_id=user.pk, pupil_id=world.pupil.pk).latest("id")
    assert (event.action, event.detail) == (AccessAction.VIEW, "carers' contact details")


def test_it_staff_are_refused_carers_contact_details_and_the_refusal_is_recorded(world):
    user = world.users["it_staff"]
    url = reverse("schools:pupil_carer_contacts", args=[world.pupil.pk])
    response = client_for(user).post(url)
    assert response.status_code == 403
    assert "07700 900123" not in response.content.decode()
    assert AccessEvent.objects.filter(
        user_id=user.pk, pupil_id=world.pupil.pk, action=AccessAction.DENIED
    ).exists()


def test_it_staff_are_not_offered_contact_details(world):
    page = client_for(world.users["it_staff"]).get(world.pupil.get_absolute_url()).content.decode()
    assert "pupil_carer_contacts" not in page
    assert reverse("schools:pupil_carer_contacts", args=[world.pupil.pk]) not in page


def test_access_levels_for_one_pupil(world):
    teacher = pupil_access(world.users["teacher"], world.pupil)
    assert teacher.can_view_details and teacher.can_view_carer_contacts
    assert not teacher.can_manage_shares
    assert pupil_access(world.users["dsl"], world.pupil).can_manage_shares
    assert pupil_access(world.users["headteacher"], world.pupil).can_manage_shares
    it = pupil_access(world.users["it_staff"], world.pupil)
    assert it.can_view and not it.can_view_details and not it.can_view_carer_contacts


def test_the_dsl_involves_a_family_support_worker_who_then_sees_the_pupil(world):
    worker = world.users["family_support_unshared"]
    assert not can_view_pupil(worker, world.pupil)

    response = client_for(world.users["dsl"]).post(
        reverse("schools:pupil_sharing", args=[world.pupil.pk]),
        {"user": worker.pk, "action": "grant"},
    )

    assert response.status_code == 302
    assert can_view_pupil(type(worker).objects.get(pk=worker.pk), world.pupil)
    assert AccessEvent.objects.filter(action=AccessAction.SHARE, pupil_id=world.pupil.pk).exists()


def test_the_dsl_stops_involving_a_family_support_worker(world):
    worker = world.users["family_support_shared"]
    client_for(world.users["dsl"]).post(
        reverse("schools:pupil_sharing", args=[world.pupil.pk]),
        {"user": worker.pk, "action": "revoke"},
    )
    assert not can_view_pupil(type(worker).objects.get(pk=worker.pk), world.pupil)


def test_a_teacher_who_sees_the_pupil_may_not_change_who_is_involved(world):
    response = client_for(world.users["teacher"]).post(
        reverse("schools:pupil_sharing", args=[world.pupil.pk]),
        {"user": world.users["family_support_unshared"].pk, "action": "grant"},
    )
    assert response.status_code == 403
    assert not can_view_pupil(world.users["family_support_unshared"], world.pupil)


def test_only_family_support_and_nurses_can_be_involved(world):
    client = client_for(world.users["dsl"])
    response = client.post(
        reverse("schools:pupil_sharing", args=[world.pupil.pk]),
        {"user": world.users["governor"].pk, "action": "grant"},
        follow=True,
    )
    assert "Only family support workers and school nurses" in response.content.decode()
    assert not can_view_pupil(world.users["governor"], world.pupil)


def test_a_bad_sharing_request_gets_a_message_not_an_error(world):
    response = client_for(world.users["dsl"]).post(
        reverse("schools:pupil_sharing", args=[world.pupil.pk]),
        {"user": "not-a-number", "action": "grant"},
        follow=True,
    )
    assert response.status_code == 200
    assert "could not be made" in response.content.decode()


def test_the_pupil_list_shows_only_the_teachers_class(world):
    PupilFactory(school_class=world.class_a, first_name="Noor", last_name="Ashby")
    page = client_for(world.users["teacher"]).get(reverse("schools:pupil_list")).content.decode()
    assert "Marsh" in page and "Ashby" in page
    assert "Penrose" not in page and "Tate" not in page


def test_the_pupil_list_does_not_exist_for_governors_or_the_dpo(world):
    for persona in ("governor", "chair", "dpo", "no_role"):
        response = client_for(world.users[persona]).get(reverse("schools:pupil_list"))
        assert response.status_code == 404, persona


def test_name_search_is_posted_and_never_read_from_the_address(world):
    client = client_for(world.users["headteacher"])
    posted = client.post(reverse("schools:pupil_list"), {"name": "pen"}).content.decode()
    assert "Penrose" in posted and "Marsh" not in posted
    assert AccessEvent.objects.filter(action=AccessAction.SEARCH).exists()
    # A name put in the address is ignored, so links with names in them are useless.
    in_address = client.get(reverse("schools:pupil_list") + "?name=pen").content.decode()
    assert "Marsh" in in_address


def test_filtering_by_class_from_a_link(world):
    client = client_for(world.users["headteacher"])
    url = reverse("schools:pupil_list") + f"?school_class={world.class_south.pk}"
    page = client.get(url).content.decode()
    assert "Tate" in page and "Marsh" not in page


def test_a_class_the_person_cannot_see_is_an_error_at_the_field(world):
    client = client_for(world.users["teacher"])
    url = reverse("schools:pupil_list") + f"?school_class={world.class_south.pk}"
    response = client.get(url)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "Tate" not in response.content.decode()


def test_the_list_is_paginated(world):
    for number in range(30):
        PupilFactory(school_class=world.class_a, last_name=f"Zed{number:02d}")
    client = client_for(world.users["teacher"])
    first = client.get(reverse("schools:pupil_list")).content.decode()
    second = client.get(reverse("schools:pupil_list") + "?page=2").content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert "Zed29" in second and "Zed29" not in first


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("view", ["list", "detail"])
def test_pages_cost_the_same_queries_for_10_or_300_pupils(world, view):
    from tests.factories import CarerFactory

    client = client_for(world.users["headteacher"])
    url = reverse("schools:pupil_list") if view == "list" else world.pupil.get_absolute_url()
    PupilFactory.create_batch(10, school_class=world.class_a)
    CarerFactory.create_batch(2, pupil=world.pupil)
    client.get(url)  # warm per-process caches (content types) so both counts compare alike
    small = _count_queries(client, url)
    PupilFactory.create_batch(290, school_class=world.class_b)
    CarerFactory.create_batch(20, pupil=world.pupil)
    large = _count_queries(client, url)
    assert small == large
    assert large <= 16
