"""The family's agreement pages: the arrangement (the carers' party) and the session ground
rules, agreed by the carer; gates, bad input, a new version asks again."""

import pytest
import time_machine
from django.urls import reverse

from cases.models import Agreement
from cases.services import reintegration_plan_save
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from safeguarding.models import SessionFamilyAgreement
from tests.cases.closures.matrix import build_calendar
from tests.conftest import client_for
from tests.families.agreements.helpers import AUTUMN_DAY, carer_client, open_case


@pytest.fixture
def autumn(world):
    build_calendar(world.school)
    with time_machine.travel(AUTUMN_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def carer(world):
    client, user = carer_client(world.carer)
    client.user = user
    return client


def arrangement_url(pupil) -> str:
    return reverse("families:child_arrangement", args=[pupil.pk])


def rules_url(pupil) -> str:
    return reverse("families:child_ground_rules", args=[pupil.pk])


RULES = {
    "no_recordings": "on",
    "confidentiality": "on",
    "parent_present": "on",
    "household_not_seen_or_heard": "on",
    "dress_and_language": "on",
    "expectations_known": "on",
}


def test_the_carer_reads_the_arrangement_and_agrees(world, autumn, carer):
    case = open_case(world)
    page = carer.get(arrangement_url(world.pupil))
    body = page.content.decode()
    assert "Your child is recovering from an injury" in body
    assert "28/12/2026" in body
    assert "The school will plan this with you." in body
    version = page.context["form"]["version"].value()
    assert AccessEvent.objects.filter(action=AccessAction.VIEW, user_id=carer.user.pk).exists()

    response = carer.post(arrangement_url(world.pupil), {"version": version, "agree": "on"})
    assert response.status_code == 302
    agreement = Agreement.objects.get(case=case)
    assert agreement.given_by_carer == world.carer
    assert agreement.recorded_by == carer.user
    body = carer.get(arrangement_url(world.pupil)).content.decode()
    assert "You agreed this arrangement on 03/12/2026, for Autumn 2026" in body


def test_not_ticking_the_box_writes_nothing(world, autumn, carer):
    open_case(world)
    version = carer.get(arrangement_url(world.pupil)).context["form"]["version"].value()
    response = carer.post(arrangement_url(world.pupil), {"version": version})
    assert response.status_code == 200
    assert response.context["form"].errors["agree"] == [
        "Tick the box to agree, or contact the school."
    ]
    assert not Agreement.objects.exists()


def test_a_change_while_reading_asks_again(world, autumn, carer):
    case = open_case(world)
    version = carer.get(arrangement_url(world.pupil)).context["form"]["version"].value()
    reintegration_plan_save(
        actor=Actor.for_user(world.users["teacher"]), case=case, support="Mornings only at first."
    )
    response = carer.post(arrangement_url(world.pupil), {"version": version, "agree": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "changed the arrangement while you were reading it" in body
    assert "Mornings only at first." in body
    assert response.context["form"]["version"].value() != version
    assert not Agreement.objects.exists()


def test_a_new_version_after_agreeing_asks_again(world, autumn, carer):
    case = open_case(world)
    version = carer.get(arrangement_url(world.pupil)).context["form"]["version"].value()
    carer.post(arrangement_url(world.pupil), {"version": version, "agree": "on"})
    reintegration_plan_save(
        actor=Actor.for_user(world.users["teacher"]), case=case, support="A phased return."
    )
    body = carer.get(arrangement_url(world.pupil)).content.decode()
    assert "You agreed this arrangement" not in body
    assert "I agree" in body


def test_html_in_the_arrangement_is_escaped(world, autumn, carer):
    case = open_case(world)
    case.summary = "<script>alert(1)</script>"
    case.save()
    body = carer.get(arrangement_url(world.pupil)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_without_an_open_case_there_is_nothing_to_agree(world, autumn, carer):
    body = carer.get(arrangement_url(world.pupil)).content.decode()
    assert "there is nothing to agree" in body
    assert carer.post(arrangement_url(world.pupil), {"agree": "on"}).status_code == 200
    assert not Agreement.objects.exists()


def test_the_carer_agrees_the_ground_rules(world, autumn, carer):
    body = carer.get(rules_url(world.pupil)).content.decode()
    assert "Parents must agree not to make any recordings of the session." in body
    assert "Agree for Autumn 2026" in body
    response = carer.post(rules_url(world.pupil), RULES)
    assert response.status_code == 302
    agreement = SessionFamilyAgreement.objects.get()
    assert agreement.given_by_carer == world.carer and agreement.recorded_by == carer.user
    body = carer.get(rules_url(world.pupil)).content.decode()
    assert "You agreed the ground rules on 03/12/2026, for Autumn 2026" in body


def test_a_missing_tick_is_shown_at_its_box_and_nothing_is_written(world, autumn, carer):
    response = carer.post(rules_url(world.pupil), {**RULES, "no_recordings": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["no_recordings"] == [
        "Agree not to make any recordings of the session."
    ]
    assert not SessionFamilyAgreement.objects.exists()


@pytest.mark.parametrize("name", ["families:child_arrangement", "families:child_ground_rules"])
def test_another_childs_id_is_404_audited_and_writes_nothing(world, autumn, carer, name):
    open_case(world, world.other_pupil)
    url = reverse(name, args=[world.other_pupil.pk])
    assert carer.get(url).status_code == 404
    assert carer.post(url, {**RULES, "agree": "on"}).status_code == 404
    assert (
        AccessEvent.objects.filter(action=AccessAction.DENIED, user_id=carer.user.pk).count() == 2
    )
    assert not Agreement.objects.exists() and not SessionFamilyAgreement.objects.exists()


@pytest.mark.parametrize("name", ["families:child_arrangement", "families:child_ground_rules"])
def test_staff_get_404(world, autumn, name):
    open_case(world)
    url = reverse(name, args=[world.pupil.pk])
    for key in ("teacher", "dsl", "headteacher"):
        assert client_for(world.users[key]).get(url).status_code == 404
