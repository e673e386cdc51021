"""The virtual-session ground rules of Appendix 1, agreed by the carer themselves for a term
(issue 17); the one check that decides whether a family agreed accepts it for sessions in
that term."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from safeguarding.models import SessionFamilyAgreement, VirtualSession
from safeguarding.sessions.services import (
    carer_ground_rules_current,
    session_agreement_give_by_carer,
    session_plan,
    with_family_agreement,
)
from schools.models import Phase, Pupil, SchoolClass
from tests.cases.closures.matrix import build_calendar
from tests.conftest import client_for
from tests.families.agreements.helpers import AUTUMN_DAY, SPRING_DAY, carer_account, open_case

ALL_RULES = {
    "no_recordings": True,
    "confidentiality": True,
    "parent_present": True,
    "dress_and_language": True,
    "expectations_known": True,
    "household_not_seen_or_heard": True,
}


@pytest.fixture
def autumn(world):
    build_calendar(world.school)
    Pupil.objects.filter(pk=world.pupil.pk).update(
        school_email="ellis.marsh@pupils.heathergate.example"
    )
    world.pupil.refresh_from_db()
    with time_machine.travel(AUTUMN_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def carer_user(world):
    return carer_account(world.carer)


def agree(world, user, **overrides) -> SessionFamilyAgreement:
    return session_agreement_give_by_carer(
        actor=Actor.for_user(user),
        pupil=world.pupil,
        carer=world.carer,
        **{**ALL_RULES, **overrides},
    )


def plan(world, on: datetime.date) -> VirtualSession:
    return session_plan(
        actor=Actor.for_user(world.users["teacher"]),
        school=world.school,
        title="Phonics and story time",
        date=on,
        start_time=datetime.time(14, 0),
        end_time=datetime.time(14, 45),
        pupils=[world.pupil],
        staff=[world.users["teacher"], world.users["class_staff"]],
        meeting_link="https://teams.example/meet/abc",
    )


def test_the_carers_agreement_is_theirs_for_the_term(world, autumn, carer_user):
    agreement = agree(world, carer_user)

    assert agreement.given_by_carer == world.carer
    assert agreement.agreed_with == "Dana Marsh"
    assert agreement.recorded_by == carer_user
    assert agreement.term.name == "Autumn 2026"
    assert not agreement.independent_access_agreed
    event = AccessEvent.objects.get(action=AccessAction.CREATE, subject_id=str(agreement.pk))
    assert event.user_id == carer_user.pk
    assert carer_ground_rules_current(world.pupil, world.carer) == agreement


def test_a_session_in_the_term_counts_as_agreed(world, autumn, carer_user):
    agree(world, carer_user)
    session = plan(world, datetime.date(2026, 12, 8))
    assert session.pupils.get() == world.pupil


def test_a_session_in_the_next_term_does_not(world, autumn, carer_user):
    agree(world, carer_user)
    with pytest.raises(ValidationError) as error:
        plan(world, datetime.date(2027, 1, 12))
    assert "No family agreement recorded yet" in error.value.message_dict["pupils"][0]
    assert not VirtualSession.objects.exists()


def test_next_term_the_carer_is_asked_again(world, autumn, carer_user):
    agree(world, carer_user)
    autumn.move_to(SPRING_DAY)
    assert carer_ground_rules_current(world.pupil, world.carer) is None
    assert agree(world, carer_user).term.name == "Spring 2027"
    plan(world, datetime.date(2027, 1, 19))


def test_each_rule_must_be_agreed_and_nothing_is_written_otherwise(world, autumn, carer_user):
    with pytest.raises(ValidationError) as error:
        agree(world, carer_user, no_recordings=False, household_not_seen_or_heard=False)
    assert set(error.value.message_dict) == {"no_recordings", "household_not_seen_or_heard"}
    assert not SessionFamilyAgreement.objects.exists()


def test_a_primary_pupil_needs_a_parent_present(world, autumn, carer_user):
    assert world.pupil.school_class.phase == Phase.PRIMARY
    with pytest.raises(ValidationError) as error:
        agree(world, carer_user, parent_present=False)
    assert "talk to the school first" in error.value.message_dict["parent_present"][0]
    SchoolClass.objects.filter(pk=world.class_a.pk).update(phase=Phase.SECONDARY)
    world.pupil.refresh_from_db()
    assert agree(world, carer_user, parent_present=False).pk


def test_agreeing_twice_in_a_term_is_refused(world, autumn, carer_user):
    agree(world, carer_user)
    with pytest.raises(ValidationError, match="already agreed the ground rules for Autumn 2026"):
        agree(world, carer_user)
    assert SessionFamilyAgreement.objects.count() == 1


def test_each_session_is_marked_by_the_agreement_for_its_own_day(world, autumn, carer_user):
    agree(world, carer_user)
    autumn_session = plan(world, datetime.date(2026, 12, 8))
    spring_session = VirtualSession.objects.create(
        school=world.school,
        title="Spring session",
        starts_at=datetime.datetime(2027, 1, 12, 14, tzinfo=datetime.UTC),
        minutes=30,
        planned_by=world.users["teacher"],
    )
    marked = dict(
        with_family_agreement(VirtualSession.objects.all(), world.pupil.pk).values_list(
            "pk", "family_agreed"
        )
    )
    assert marked == {autumn_session.pk: True, spring_session.pk: False}


def test_staff_see_the_ground_rules_as_agreed_by_the_carer(world, autumn, carer_user):
    agree(world, carer_user)
    session = plan(world, datetime.date(2026, 12, 8))
    body = client_for(world.users["teacher"]).get(session.get_absolute_url()).content.decode()
    assert (
        "ground rules agreed by Dana Marsh (parent/carer) through the family portal on "
        "03/12/2026, for Autumn 2026" in body
    )


def test_the_teacher_sees_the_carers_agreement_on_today(world, autumn, carer_user):
    open_case(world)
    open_case(world, world.other_pupil)
    agree(world, carer_user)
    body = client_for(world.users["teacher"]).get(reverse("contacts:today")).content.decode()
    assert (
        "Session ground rules agreed for Autumn 2026 by Dana Marsh (parent/carer) on the "
        "family portal" in body
    )
    # Another class's teacher sees their own pupil's row, without the marker.
    other = client_for(world.users["other_teacher"]).get(reverse("contacts:today"))
    assert "Session ground rules agreed" not in other.content.decode()
