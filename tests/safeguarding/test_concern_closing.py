"""Closing a concern is a recorded decision with its reason, and a closed concern is frozen:
only addenda, and only from people who currently hold a role that may see it."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from safeguarding import services
from safeguarding.models import Action, Addendum, Concern, ConcernStatus, Decision
from schools.calendar import today
from schools.models import Membership
from tests.conftest import client_for
from tests.safeguarding.matrix_concerns import concern_for

NO_FURTHER_ACTION = "No further action"
WHY = "Mum explained the bruise: a fall at the park, seen by the GP the same day."


def url(name: str, pk: int) -> str:
    return reverse(f"safeguarding:{name}", args=[pk])


def closed(concern: Concern, world) -> Concern:
    return services.concern_close(
        actor=Actor.for_user(world.users["dsl"]),
        concern=concern,
        outcome=NO_FURTHER_ACTION,
        reason=WHY,
    )


def closings(concern: Concern) -> int:
    return AccessEvent.objects.filter(
        action=AccessAction.CHANGE, subject_id=str(concern.pk), detail="closed"
    ).count()


# --- Closing needs a decision and its reason ---------------------------------------------------


def test_closing_without_a_reason_is_refused_at_the_reason_field_and_nothing_is_written(world):
    concern = concern_for(world)
    response = client_for(world.users["dsl"]).post(
        url("concern_close", concern.pk), {"close-outcome": NO_FURTHER_ACTION, "close-reason": ""}
    )
    assert response.status_code == 200
    form = response.context["close_form"]
    assert "reason" in form.errors
    assert "why" in form.errors["reason"][0].lower()
    concern.refresh_from_db()
    assert (concern.status, concern.outcome, concern.closed_at) == (ConcernStatus.RAISED, "", None)
    assert closings(concern) == 0


def test_the_service_refuses_a_close_without_a_reason_whoever_calls_it(world):
    concern = concern_for(world)
    with pytest.raises(ValidationError) as refused:
        services.concern_close(
            actor=Actor.for_user(world.users["dsl"]),
            concern=concern,
            outcome=NO_FURTHER_ACTION,
            reason="   ",
        )
    assert "reason" in refused.value.message_dict
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RAISED


def test_no_further_action_and_why_is_kept_and_shown_on_the_page_and_in_the_chronology(world):
    concern = concern_for(world)
    dsl = client_for(world.users["dsl"])
    response = dsl.post(
        url("concern_close", concern.pk), {"close-outcome": NO_FURTHER_ACTION, "close-reason": WHY}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.outcome, concern.close_reason) == (
        ConcernStatus.CLOSED,
        NO_FURTHER_ACTION,
        WHY,
    )
    page = dsl.get(url("concern_detail", concern.pk)).content.decode()
    assert NO_FURTHER_ACTION in page and WHY in page
    chronology = dsl.get(url("pupil_chronology", world.pupil.pk))
    [closing] = [e for e in chronology.context["entries"] if e.kind == "closed"]
    assert (closing.text, closing.detail) == (NO_FURTHER_ACTION, WHY)
    assert WHY in chronology.content.decode()


def test_the_subject_access_export_holds_the_reason_for_closing(world):
    closed(concern_for(world), world)
    response = client_for(world.users["dpo"]).post(
        reverse("subject_access:json", args=[world.pupil.pk]),
        {
            "requested_by": "Dana Marsh (mother)",
            "received_on": f"{today() - datetime.timedelta(days=2):%d/%m/%Y}",
            "include_safeguarding": "on",
            "safeguarding_reason": "DSL agreed disclosure is safe",
        },
    )
    assert response.status_code == 200, response.content[:500]
    [record] = json.loads(response.content)["safeguarding"]["concerns"]
    assert (record["outcome"], record["close_reason"]) == (NO_FURTHER_ACTION, WHY)


# --- A closed concern is frozen ----------------------------------------------------------------


@pytest.fixture
def frozen(world):
    concern = concern_for(world)
    action = Action.objects.create(
        concern=concern, what="Phone the GP", who=world.users["dsl"], recorded_by=world.users["dsl"]
    )
    return closed(concern, world), action


def test_the_services_refuse_every_change_but_an_addendum_once_closed(world, frozen):
    concern, action = frozen
    dsl = Actor.for_user(world.users["dsl"])
    attempts = [
        lambda: services.action_done(actor=dsl, action=action),
        lambda: services.action_add(actor=dsl, concern=concern, what="More", who=dsl.user),
        lambda: services.concern_assign(actor=dsl, concern=concern, owner=dsl.user),
        lambda: services.decision_add(actor=dsl, concern=concern, decision="d", reason="r"),
        lambda: services.concern_acknowledge(actor=dsl, concern=concern),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert "closed" in " ".join(refused.value.messages)
    action.refresh_from_db()
    assert action.done_on is None
    assert Decision.objects.count() == 0
    assert Action.objects.count() == 1
    services.addendum_add(actor=dsl, concern=concern, text="The GP's letter arrived.")
    assert Addendum.objects.count() == 1


def test_marking_an_action_done_on_a_closed_concern_says_why_and_changes_nothing(world, frozen):
    _, action = frozen
    dsl = client_for(world.users["dsl"])
    response = dsl.post(url("action_done", action.pk), follow=True)
    assert response.status_code == 200
    assert "closed" in response.content.decode()
    action.refresh_from_db()
    assert action.done_on is None


def test_the_page_of_a_closed_concern_offers_only_the_addendum(world, frozen):
    concern, action = frozen
    page = client_for(world.users["dsl"]).get(url("concern_detail", concern.pk))
    body = page.content.decode()
    assert url("action_done", action.pk) not in body
    for name in ("concern_assign", "action_add", "decision_add", "referral_add", "concern_close"):
        assert url(name, concern.pk) not in body
    assert url("addendum_add", concern.pk) in body


def test_the_reporter_still_on_the_staff_may_add_an_addendum_to_a_closed_concern(world, frozen):
    concern, _ = frozen
    teacher = client_for(world.users["teacher"])
    response = teacher.post(
        url("addendum_add", concern.pk), {"addendum-text": "I remembered more."}
    )
    assert response.status_code == 302
    assert Addendum.objects.get().added_by == world.users["teacher"]


def test_a_former_member_cannot_reach_the_receipt_or_add_to_a_concern_they_raised(world, frozen):
    concern, _ = frozen
    reporter = world.users["teacher"]
    Membership.objects.filter(user=reporter).delete()
    former = client_for(reporter)

    before = AccessEvent.objects.filter(action=AccessAction.DENIED, user_id=reporter.pk).count()
    assert former.get(url("concern_receipt", concern.pk)).status_code == 404
    denied = AccessEvent.objects.filter(action=AccessAction.DENIED, user_id=reporter.pk)
    assert denied.count() == before + 1

    assert (
        former.post(
            url("addendum_add", concern.pk), {"addendum-text": "One more thing"}
        ).status_code
        == 404
    )
    assert not Addendum.objects.exists()
    with pytest.raises(ValidationError):
        services.addendum_add(actor=Actor.for_user(reporter), concern=concern, text="One more")
    assert not Addendum.objects.exists()
