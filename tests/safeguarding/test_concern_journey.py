"""Raising a concern and its triage by the site's DSL team, end to end (sections 3.2, 3.4)."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from contacts.models import Channel, Outcome
from contacts.services import contact_log_record
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from safeguarding.models import (
    Action,
    Addendum,
    Concern,
    ConcernCategory,
    ConcernSource,
    ConcernStatus,
    Decision,
    Notification,
    NotificationKind,
    Urgency,
)
from safeguarding.services import DEFAULT_CATEGORIES, concern_categories_ensure
from schools.models import Role
from tests.cases.closures.matrix import build_calendar
from tests.conftest import client_for
from tests.contacts.test_today import SCHOOL_DAY, make_case
from tests.factories import MembershipFactory, UserFactory

NEW_URL = reverse("safeguarding:concern_new")


def detail_url(concern) -> str:
    return reverse("safeguarding:concern_detail", args=[concern.pk])


def receipt_url(concern) -> str:
    return reverse("safeguarding:concern_receipt", args=[concern.pk])


def chronology_url(pupil) -> str:
    return reverse("safeguarding:pupil_chronology", args=[pupil.pk])


@pytest.fixture
def at_school(world):
    build_calendar(world.school)
    with time_machine.travel(SCHOOL_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def deputy(world):
    user = UserFactory(full_name="North Deputy")
    MembershipFactory(user=user, school=world.school, role=Role.DEPUTY_DSL, site=world.north)
    return user


@pytest.fixture
def contact(world, at_school):
    case = make_case(world, world.pupil)
    return contact_log_record(
        actor=Actor.for_user(world.users["teacher"]),
        case=case,
        channel=Channel.TELEPHONE,
        outcome=Outcome.SPOKE_WITH_PUPIL,
    )


def concern_data(world, **overrides) -> dict:
    category = concern_categories_ensure(school=world.school)[0]
    data = {
        "pupil": world.pupil.pk,
        "category": category.pk,
        "urgency": Urgency.IMMEDIATE,
        "what_happened": "Said there was no food at home since Monday.",
        "childs_words": "Mum said we have to wait.",
        "happened_at": "2026-12-03T10:30",
        "where": "On the Teams call",
        "others_told": "Nobody yet",
    }
    data.update(overrides)
    return data


def test_default_categories_are_created_once_on_first_use(world):
    first = concern_categories_ensure(school=world.school)
    again = concern_categories_ensure(school=world.school)
    assert [c.name for c in first] == [c.name for c in again]
    assert {"Neglect", "Online safety", "Other"} <= {c.name for c in first}
    assert ConcernCategory.objects.filter(school=world.school).count() == len(DEFAULT_CATEGORIES)


def test_the_whole_journey_from_a_contact_to_a_closed_concern(
    world, contact, deputy, at_school, django_capture_on_commit_callbacks
):
    teacher = client_for(world.users["teacher"])
    form_page = teacher.get(f"{NEW_URL}?contact={contact.pk}")
    assert form_page.status_code == 200
    assert form_page.context["form"]["pupil"].value() == world.pupil.pk

    # Raising it writes the notifications before anything is sent: the same transaction.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = teacher.post(
            f"{NEW_URL}?contact={contact.pk}", concern_data(world, contact=contact.pk)
        )
        concern = Concern.objects.get()
        assert {n.recipient for n in Notification.objects.filter(concern=concern)} == {
            world.users["dsl"],
            deputy,
        }
        assert not Notification.objects.filter(sent_at__isnull=False).exists()
    assert len(callbacks) == 1
    assert response.status_code == 302
    assert response["Location"] == receipt_url(concern)
    assert (concern.source, concern.contact, concern.raised_by) == (
        ConcernSource.CONTACT,
        contact,
        world.users["teacher"],
    )
    assert set(Notification.objects.values_list("kind", flat=True)) == {
        NotificationKind.IMMEDIATE_CONCERN
    }

    dsl = client_for(world.users["dsl"])
    page = dsl.get(detail_url(concern))
    assert page.status_code == 200
    assert "Said there was no food at home since Monday." in page.content.decode()
    assert AccessEvent.objects.filter(
        action=AccessAction.VIEW, subject_type="safeguarding.concern", pupil_id=world.pupil.pk
    ).exists()

    at_school.shift(datetime.timedelta(minutes=3))
    assert (
        dsl.post(reverse("safeguarding:concern_acknowledge", args=[concern.pk])).status_code == 302
    )
    at_school.shift(datetime.timedelta(minutes=3))
    assert (
        dsl.post(
            reverse("safeguarding:action_add", args=[concern.pk]),
            {
                "action-what": "Phone the social worker",
                "action-who": world.users["dsl"].pk,
                "action-due_on": "2026-12-04",
            },
        ).status_code
        == 302
    )
    action = Action.objects.get()
    at_school.shift(datetime.timedelta(minutes=3))
    assert dsl.post(reverse("safeguarding:action_done", args=[action.pk])).status_code == 302
    assert (
        dsl.post(
            reverse("safeguarding:decision_add", args=[concern.pk]),
            {
                "decision-decision": "Food bank referral today",
                "decision-reason": "No food since Monday",
            },
        ).status_code
        == 302
    )
    at_school.shift(datetime.timedelta(minutes=3))
    assert (
        dsl.post(
            reverse("safeguarding:addendum_add", args=[concern.pk]),
            {"addendum-text": "Mum called back: food delivered."},
        ).status_code
        == 302
    )
    at_school.shift(datetime.timedelta(minutes=3))
    assert (
        dsl.post(
            reverse("safeguarding:concern_close", args=[concern.pk]),
            {
                "close-outcome": "Family supported by early help.",
                "close-reason": "Early help accepted.",
            },
        ).status_code
        == 302
    )

    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
    assert concern.acknowledged_by == world.users["dsl"]
    assert concern.owner == world.users["dsl"]
    assert concern.outcome == "Family supported by early help."
    assert Action.objects.get().done_on == datetime.date(2026, 12, 3)
    assert Decision.objects.get().reason == "No food since Monday"
    assert Addendum.objects.get().added_by == world.users["dsl"]

    chronology = dsl.get(chronology_url(world.pupil))
    assert chronology.status_code == 200
    kinds = [entry.kind for entry in chronology.context["entries"] if entry.kind != "notification"]
    # The contact the concern came from is in the chronology too, before it.
    assert kinds == [
        "contact",
        "concern",
        "acknowledged",
        "action",
        "decision",
        "addendum",
        "closed",
    ]
    notified = [e for e in chronology.context["entries"] if e.kind == "notification"]
    assert len(notified) == 2  # the site's DSL and deputy, told of the immediate concern
    body = chronology.content.decode()
    for text in ("Phone the social worker", "No food since Monday", "food delivered", "early help"):
        assert text in body

    # The other site's deputy DSL may not know it exists.
    south = client_for(world.users["deputy_dsl_other_site"])
    for url in (detail_url(concern), receipt_url(concern), chronology_url(world.pupil)):
        assert south.get(url).status_code == 404
    assert (
        AccessEvent.objects.filter(
            action=AccessAction.DENIED, user_id=world.users["deputy_dsl_other_site"].pk
        ).count()
        == 3
    )

    # The reporter sees that it arrived and its status, never the DSL team's working.
    receipt = teacher.get(receipt_url(concern))
    assert receipt.status_code == 200
    body = receipt.content.decode()
    assert "Closed" in body
    for working in ("Phone the social worker", "Food bank", "early help", "food delivered"):
        assert working not in body
    assert teacher.get(detail_url(concern)).status_code == 403
    assert teacher.get(chronology_url(world.pupil)).status_code == 404


def test_the_reporter_may_add_an_addendum_but_not_triage(world, at_school):
    teacher = client_for(world.users["teacher"])
    response = teacher.post(NEW_URL, concern_data(world, urgency=Urgency.ROUTINE))
    concern = Concern.objects.get()
    assert response.status_code == 302
    added = teacher.post(
        reverse("safeguarding:addendum_add", args=[concern.pk]),
        {"addendum-text": "It was Tuesday, not Monday."},
    )
    assert added["Location"] == receipt_url(concern)
    assert Addendum.objects.get().added_by == world.users["teacher"]
    assert concern.notifications.count() == 0  # routine: no immediate notification
    closing = teacher.post(
        reverse("safeguarding:concern_close", args=[concern.pk]), {"close-outcome": "x"}
    )
    assert closing.status_code == 403
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RAISED


def test_raising_is_all_or_nothing(world, at_school):
    teacher = client_for(world.users["teacher"])
    with (
        mock.patch(
            "safeguarding.services.Notification.objects.bulk_create", side_effect=RuntimeError
        ),
        pytest.raises(RuntimeError),
    ):
        teacher.post(NEW_URL, concern_data(world))
    assert not Concern.objects.exists()
