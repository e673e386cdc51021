"""The household view: pupils who share a carer record with this pupil, each shown only to
those who pass that pupil's own gate, at a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dataprotection.models import AccessAction, AccessEvent
from safeguarding.models import Concern, ConcernCategory, HomeVisit, Urgency
from safeguarding.services import concern_categories_ensure
from tests.cases.matrix import open_case_for
from tests.conftest import client_for
from tests.factories import CarerFactory, CarerLinkFactory, PupilFactory

pytestmark = pytest.mark.django_db


def url(pupil) -> str:
    return reverse("safeguarding:pupil_household", args=[pupil.pk])


def sibling(world, school_class=None, first_name="Sam"):
    pupil = PupilFactory(
        school_class=school_class or world.class_b, first_name=first_name, last_name="Marsh"
    )
    CarerLinkFactory(pupil=pupil, carer=world.carer)
    return pupil


def concern(world, pupil, category=None, what="Arrived hungry again."):
    return Concern.objects.create(
        pupil=pupil,
        category=category or concern_categories_ensure(school=world.school)[0],
        urgency=Urgency.ROUTINE,
        what_happened=what,
        happened_at=timezone.now() - datetime.timedelta(hours=1),
        raised_by=world.users["teacher"],
    )


def everything_for(world, pupil):
    concern(world, pupil)
    case = open_case_for(world, pupil)
    HomeVisit.objects.create(
        case=case,
        reason="Not answering",
        requested_by=world.users["dsl"],
        planned_for=timezone.localdate() + datetime.timedelta(days=2),
    )


def get(world, persona, pupil):
    return client_for(world.users[persona]).get(url(pupil))


def test_the_dsl_sees_each_siblings_open_concerns_cases_and_visits(world):
    sam = sibling(world)
    everything_for(world, sam)

    response = get(world, "dsl", world.pupil)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sam Marsh" in page and "Birch" in page
    household = response.context["household"]
    (member,) = household.linked
    assert member.visible and len(member.concerns) == len(member.cases) == 1
    assert len(member.visits) == 1
    (shared,) = household.shared_carers
    assert shared.carer == world.carer and len(shared.links) == 2
    assert "Dana Marsh" in page


def test_each_view_audits_every_pupil_whose_data_was_shown(world):
    sam = sibling(world)
    south = sibling(world, world.class_south, "Rowan")

    get(world, "dsl", world.pupil)

    shown = set(
        AccessEvent.objects.filter(
            action=AccessAction.VIEW, detail=f"household of pupil {world.pupil.pk}"
        ).values_list("pupil_id", flat=True)
    )
    assert shown == {world.pupil.pk, sam.pk}
    assert south.pk not in shown


def test_a_sibling_at_another_site_is_listed_without_details(world):
    south = sibling(world, world.class_south, "Rowan")
    everything_for(world, south)

    response = get(world, "dsl", world.pupil)

    page = response.content.decode()
    assert "A linked pupil at another site" in page and "Ask that site's DSL" in page
    assert "Rowan" not in page and "Cedar" not in page and "hungry" not in page
    (member,) = response.context["household"].linked
    assert not member.visible and member.concerns == member.cases == member.visits == []


def test_the_other_sites_deputy_sees_their_own_pupil_and_not_ours(world):
    south = sibling(world, world.class_south, "Rowan")

    response = get(world, "deputy_dsl_other_site", south)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Rowan Marsh" in page and "A linked pupil at another site" in page
    assert "Ellis" not in page


def test_a_siblings_dsl_team_only_concern_is_hidden_from_those_not_on_the_team(world):
    sam = sibling(world)
    restricted = ConcernCategory.objects.create(
        school=world.school, name="Allegation about staff", dsl_team_only=True
    )
    concern(world, sam, restricted, what="An allegation about a member of staff.")

    as_dsl = get(world, "dsl", world.pupil).context["household"].linked[0]
    as_head = get(world, "headteacher", world.pupil)

    assert len(as_dsl.concerns) == 1
    assert as_head.status_code == 200
    assert as_head.context["household"].linked[0].concerns == []
    assert "Allegation about staff" not in as_head.content.decode()


def test_no_linked_pupils_shows_the_empty_state(world):
    response = get(world, "dsl", world.pupil)
    assert "No other pupil shares a parent or carer" in response.content.decode()


def test_a_pupil_with_a_same_named_but_separate_carer_is_not_in_the_household(world):
    namesake = PupilFactory(school_class=world.class_b, first_name="Sam", last_name="Marsh")
    CarerFactory(pupil=namesake, full_name="Dana Marsh")
    assert get(world, "dsl", world.pupil).context["household"].linked == []


@pytest.mark.parametrize("persona", ["teacher", "slt_class", "deputy_dsl_other_site", "dpo"])
def test_others_are_told_it_does_not_exist_and_the_refusal_is_audited(world, persona):
    before = AccessEvent.objects.filter(action=AccessAction.DENIED).count()
    assert get(world, persona, world.pupil).status_code == 404
    assert AccessEvent.objects.filter(action=AccessAction.DENIED).count() == before + 1


def test_the_page_costs_the_same_queries_with_one_or_four_siblings(
    world, django_assert_num_queries
):
    client = client_for(world.users["dsl"])
    sam = sibling(world)
    everything_for(world, sam)
    client.get(url(world.pupil))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(world.pupil)).status_code == 200
    for n in range(3):
        everything_for(world, sibling(world, first_name=f"Kit{n}"))
    sibling(world, world.class_south, "Rowan")
    with django_assert_num_queries(len(one)):
        response = client.get(url(world.pupil))
    assert len(response.context["household"].linked) == 5
