"""Ending a carer's account, restricting a carer (the DSL team), and the portal status staff
see on the pupil's page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent
from families.models import CarerAccountEnding, CarerInvitation, CarerRestrictionChange
from families.permissions import children_of
from schools.models import CarerLink
from tests.conftest import client_for
from tests.factories import CarerFactory
from tests.world import add_carer_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def families(world):
    return add_carer_personas(world)


def url(name, world, carer):
    return reverse(f"families:{name}", args=[world.pupil.pk, carer.pk])


def test_the_teacher_ends_a_carers_account_at_once(families):
    world = families
    carer_client = client_for(world.users["carer"])
    assert carer_client.get(reverse("families:home")).status_code == 200

    response = client_for(world.users["teacher"]).post(
        url("carer_end", world, world.carer), {"reason": "Parent asked to close it."}
    )

    assert response.status_code == 302
    world.users["carer"].refresh_from_db()
    assert not world.users["carer"].is_active
    ending = CarerAccountEnding.objects.get()
    assert ending.ended_by == world.users["teacher"]
    assert AccessEvent.objects.filter(
        action=AccessAction.CHANGE, subject_type="families.carerAccountEnding".lower()
    ).exists()
    # Signed out at the next request.
    assert carer_client.get(reverse("families:home")).status_code == 302


def test_ending_needs_a_reason_and_writes_nothing_without_one(families):
    world = families
    response = client_for(world.users["teacher"]).post(
        url("carer_end", world, world.carer), {"reason": ""}
    )

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not CarerAccountEnding.objects.exists()


def test_ending_revokes_an_open_invitation(families):
    world = families
    world.users["carer"].is_active = False
    world.users["carer"].save()
    teacher = client_for(world.users["teacher"])
    teacher.post(url("carer_invite", world, world.carer))
    assert CarerInvitation.objects.get().revoked_at is None

    teacher.post(url("carer_end", world, world.carer), {"reason": "Sent in error."})

    assert CarerInvitation.objects.get().revoked_at is not None


def test_the_dsl_restricts_a_carer_who_then_sees_nothing_and_lifts_it(families):
    world = families
    dsl = client_for(world.users["dsl"])
    assert world.pupil in children_of(world.users["carer"])

    dsl.post(url("carer_restriction", world, world.carer), {"reason": "Court order 12/2026."})

    link = CarerLink.objects.get(carer=world.carer, pupil=world.pupil)
    assert link.contact_restricted and link.restricted_by == world.users["dsl"]
    assert world.pupil not in children_of(world.users["carer"])
    home = client_for(world.users["carer"]).get(reverse("families:home"))
    assert world.pupil.display_name not in home.content.decode()

    dsl.post(url("carer_restriction", world, world.carer), {"reason": "Order discharged."})

    link.refresh_from_db()
    assert not link.contact_restricted and link.restriction_reason == ""
    assert world.pupil in children_of(world.users["carer"])
    # The history is kept, never overwritten.
    history = list(
        CarerRestrictionChange.objects.filter(link=link).values_list("restricted", "reason")
    )
    assert history == [(False, "Order discharged."), (True, "Court order 12/2026.")]


def test_only_the_dsl_team_restricts(families):
    world = families
    response = client_for(world.users["teacher"]).post(
        url("carer_restriction", world, world.carer), {"reason": "Because."}
    )

    assert response.status_code == 403
    assert not CarerRestrictionChange.objects.exists()


def test_staff_see_each_carers_portal_status(families):
    world = families
    client_for(world.users["teacher"]).post(
        url("carer_end", world, world.users["carer_siblings"].carer), {"reason": "Moved away."}
    )

    response = client_for(world.users["teacher"]).get(
        reverse("families:pupil_portal", args=[world.pupil.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Dana Marsh" in html and "Account open; not signed in yet." in html
    assert "Account ended" in html
    assert "No contact / restricted" in html


def test_the_status_costs_the_same_queries_whatever_the_carers(families, django_assert_num_queries):
    world = families
    CarerFactory(pupil=world.classmate)  # one carer, with no account
    teacher = client_for(world.users["teacher"])
    page = reverse("families:pupil_portal", args=[world.classmate.pk])
    teacher.get(page)
    with CaptureQueriesContext(connection) as few:
        teacher.get(page)
    many = reverse("families:pupil_portal", args=[world.pupil.pk])
    with django_assert_num_queries(len(few)):
        teacher.get(many)


def test_the_case_page_loads_the_family_pages(world):
    from tests.cases.matrix import open_case_for

    case = open_case_for(world)
    response = client_for(world.users["teacher"]).get(reverse("cases:case_detail", args=[case.pk]))

    assert reverse("families:pupil_portal", args=[case.pupil_id]) in response.content.decode()
