"""How a family found the work, given through the carers' portal: kept beside the provision
on the case page, as the carer's word, escaped; refused at the field when it cannot stand."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases.models import WORK_FEEDBACK_NOTE_LIMIT, FeedbackPeriod, FeedbackRating, WorkFeedback
from cases.services import provision_record, work_feedback_give
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from tests.cases.test_case_pages import calendar, clock, make_case  # noqa: F401
from tests.conftest import client_for
from tests.factories import UserFactory

THURSDAY = dt.date(2026, 10, 8)


@pytest.fixture
def case(world, clock):  # noqa: F811
    return make_case(world)


@pytest.fixture
def carer_user(db):
    return UserFactory(full_name="Dana Marsh")


def give(world, case, carer_user, **extra) -> WorkFeedback:
    values = {
        "period": FeedbackPeriod.DAY,
        "starts_on": THURSDAY,
        "rating": FeedbackRating.SOME_DIFFICULTY,
        "note": "",
    } | extra
    return work_feedback_give(
        actor=Actor.for_user(carer_user), case=case, carer=world.carer, **values
    )


def test_a_days_word_is_shown_beside_that_days_provision_as_the_carers(world, case, carer_user):
    provision_record(actor=Actor.for_user(world.users["teacher"]), case=case, date=THURSDAY)
    word = give(world, case, carer_user, note="<b>Too long</b> for him")
    event = AccessEvent.objects.get(
        action=AccessAction.CREATE, subject_type="cases.workfeedback", subject_id=str(word.pk)
    )
    assert event.user_id == carer_user.pk and event.pupil_id == world.pupil.pk
    body = client_for(world.users["teacher"]).get(case.get_absolute_url()).content.decode()
    assert "Reported by Dana Marsh (parent/carer):</span> Some difficulty" in body
    assert "&lt;b&gt;Too long&lt;/b&gt; for him" in body and "<b>Too long" not in body


def test_a_weeks_word_is_kept_from_its_monday_and_listed_under_the_provision(
    world, case, carer_user
):
    word = give(world, case, carer_user, period=FeedbackPeriod.WEEK, rating="went_well")
    assert word.starts_on == dt.date(2026, 10, 5)
    body = client_for(world.users["teacher"]).get(case.get_absolute_url()).content.decode()
    assert "Week of Mon 05/10/2026" in body and "It went well" in body


def test_a_day_the_school_is_shut_a_day_to_come_and_a_long_note_are_refused(
    world, case, carer_user
):
    with pytest.raises(ValidationError) as saturday:
        give(world, case, carer_user, starts_on=dt.date(2026, 10, 10))
    assert "not a school day" in saturday.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError) as later:
        give(world, case, carer_user, starts_on=dt.date(2026, 10, 9))
    assert "already started" in later.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError) as long_note:
        give(world, case, carer_user, note="x" * (WORK_FEEDBACK_NOTE_LIMIT + 1))
    assert "characters or fewer" in long_note.value.message_dict["note"][0]
    assert not WorkFeedback.objects.exists()
