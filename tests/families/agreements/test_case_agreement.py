"""The carers' party of a case agreement, given by the carer themselves (issue 17): recorded
as theirs, to one version of the arrangement, for one term."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.arrangement import arrangement_for, arrangement_version
from cases.models import Agreement, AgreementMethod, Decision, Party, Status
from cases.selectors import case_for_page, case_page
from cases.services import (
    agreement_record,
    carer_agreement_current,
    carer_agreement_give,
    missing_parties,
    reintegration_plan_save,
    review_record,
)
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from tests.cases.closures.matrix import build_calendar
from tests.conftest import client_for
from tests.families.agreements.helpers import (
    AUTUMN_DAY,
    HOLIDAY_DAY,
    SPRING_DAY,
    carer_account,
    open_case,
)


@pytest.fixture
def autumn(world):
    build_calendar(world.school)
    with time_machine.travel(AUTUMN_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def carer_user(world):
    return carer_account(world.carer)


def give(case, carer, user, version=None) -> Agreement:
    return carer_agreement_give(
        actor=Actor.for_user(user),
        case=case,
        carer=carer,
        version=version or arrangement_version(arrangement_for(case)),
    )


def test_the_carer_agrees_as_the_carers_party_and_it_is_theirs(world, autumn, carer_user):
    case = open_case(world, status=Status.PROPOSED)
    assert Party.CARERS in missing_parties(case)

    agreement = give(case, world.carer, carer_user)

    assert agreement.party == Party.CARERS
    assert agreement.agreed_by == "Dana Marsh"
    assert agreement.agreed_on == datetime.date(2026, 12, 3)
    assert agreement.method == AgreementMethod.FAMILY_PORTAL
    assert agreement.recorded_by == carer_user
    assert agreement.given_by_carer == world.carer
    assert agreement.term.name == "Autumn 2026"
    assert agreement.arrangement["time_limit"] == "28/12/2026"
    assert Party.CARERS not in missing_parties(case)
    event = AccessEvent.objects.get(action=AccessAction.CREATE, subject_id=str(agreement.pk))
    assert event.user_id == carer_user.pk
    assert event.pupil_id == world.pupil.pk


def test_staff_see_the_agreement_as_given_by_the_carer(world, autumn, carer_user):
    case = open_case(world, status=Status.PROPOSED)
    give(case, world.carer, carer_user)

    body = client_for(world.users["teacher"]).get(case.get_absolute_url()).content.decode()

    assert "Agreed by Dana Marsh (parent/carer) through the family portal on 03/12/2026" in body
    assert "Given by the carer" in body
    page = case_page(case_for_page(case.pk), today=datetime.date(2026, 12, 3))
    entry = next(e for e in page.chronology if e.kind == "agreement")
    assert entry.who == "Dana Marsh (parent/carer)"


def test_staff_cannot_record_an_agreement_as_given_on_the_portal(world, autumn):
    case = open_case(world, status=Status.PROPOSED)
    with pytest.raises(ValidationError) as error:
        agreement_record(
            actor=Actor.for_user(world.users["teacher"]),
            case=case,
            party=Party.CARERS,
            agreed_by="Dana Marsh",
            agreed_on=datetime.date(2026, 12, 3),
            method=AgreementMethod.FAMILY_PORTAL,
        )
    assert "method" in error.value.message_dict
    assert not Agreement.objects.exists()


def test_agreeing_the_same_version_twice_in_a_term_is_refused(world, autumn, carer_user):
    case = open_case(world)
    give(case, world.carer, carer_user)
    with pytest.raises(ValidationError, match="already agreed this arrangement this term"):
        give(case, world.carer, carer_user)
    assert Agreement.objects.count() == 1


def test_a_new_version_of_the_arrangement_asks_again(world, autumn, carer_user):
    case = open_case(world)
    give(case, world.carer, carer_user)
    assert carer_agreement_current(case, world.carer) is not None

    # A review extends the time limit: the family has not agreed that.
    review_record(
        actor=Actor.for_user(world.users["teacher"]),
        case=case,
        held_on=datetime.date(2026, 12, 3),
        attendees="Teacher, Dana Marsh",
        progress="Healing well, needs longer.",
        decision=Decision.EXTEND,
        new_end_date=datetime.date(2027, 1, 8),
        next_review_date=datetime.date(2026, 12, 17),
    )
    case.refresh_from_db()
    assert carer_agreement_current(case, world.carer) is None

    again = give(case, world.carer, carer_user)
    assert again.arrangement["time_limit"] == "08/01/2027"
    assert carer_agreement_current(case, world.carer) == again
    assert Agreement.objects.filter(given_by_carer=world.carer).count() == 2


def test_a_changed_reintegration_plan_is_a_new_version(world, autumn, carer_user):
    case = open_case(world)
    give(case, world.carer, carer_user)
    reintegration_plan_save(
        actor=Actor.for_user(world.users["teacher"]),
        case=case,
        support="Mornings only for the first week, with a quiet room at break.",
    )
    assert carer_agreement_current(case, world.carer) is None


def test_a_version_that_changed_while_the_carer_read_it_writes_nothing(world, autumn, carer_user):
    case = open_case(world)
    shown = arrangement_version(arrangement_for(case))
    reintegration_plan_save(
        actor=Actor.for_user(world.users["teacher"]), case=case, support="A phased return."
    )
    with pytest.raises(ValidationError, match="changed the arrangement while you were reading"):
        give(case, world.carer, carer_user, version=shown)
    assert not Agreement.objects.exists()


def test_the_review_date_alone_is_not_a_new_version(world, autumn, carer_user):
    case = open_case(world)
    before = arrangement_version(arrangement_for(case))
    case.next_review_date = datetime.date(2026, 12, 18)
    case.save()
    assert arrangement_version(arrangement_for(case)) == before


def test_an_agreement_given_in_one_term_does_not_count_for_the_next(world, autumn, carer_user):
    case = open_case(world, days=60)
    give(case, world.carer, carer_user)
    assert carer_agreement_current(case, world.carer) is not None

    autumn.move_to(SPRING_DAY)
    assert carer_agreement_current(case, world.carer) is None
    spring = give(case, world.carer, carer_user)
    assert spring.term.name == "Spring 2027"


def test_in_the_holidays_an_agreement_is_for_the_next_term(world, autumn, carer_user):
    case = open_case(world, days=60)
    autumn.move_to(HOLIDAY_DAY)
    assert give(case, world.carer, carer_user).term.name == "Spring 2027"


def test_an_ended_case_takes_no_agreement(world, autumn, carer_user):
    case = open_case(world, status=Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="has ended"):
        give(case, world.carer, carer_user)
    assert not Agreement.objects.exists()


def test_without_term_dates_nothing_is_written(world, carer_user):
    with time_machine.travel(AUTUMN_DAY, tick=False):
        case = open_case(world)
        with pytest.raises(ValidationError, match="term dates"):
            give(case, world.carer, carer_user)
    assert not Agreement.objects.exists()


def test_the_arrangement_is_in_plain_words(world, autumn):
    case = open_case(world)
    arrangement = arrangement_for(case)
    assert arrangement["reason"].startswith("Your child is recovering from an injury")
    assert arrangement["time_limit"] == "28/12/2026"
    assert arrangement["coming_back"] == ""
    assert any("every school day" in line for line in arrangement["school_provides"])
