"""A date the calendar does not reach is refused at its field, never silently accepted: the
message says where the calendar ends and who can extend it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.models import Case, Decision, Reason, Status
from core.actor import Actor
from safeguarding.sessions.services import session_plan
from tests.cases.flags.test_rules import SUMMER_FIRST_DAY, SUMMER_LAST_DAY, on, with_summer_term

pytestmark = pytest.mark.django_db

ENDS = "The school calendar ends on 21/07/2026"
WHO = "The headteacher or an administrator can extend the calendar."


def _refusal(error: pytest.ExceptionInfo, field: str) -> str:
    return " ".join(error.value.message_dict[field])


def propose(world, *, end: dt.date) -> Case:
    with on(SUMMER_FIRST_DAY):
        return services.case_propose(
            actor=Actor.for_user(world.users["teacher"]),
            pupil=world.pupil,
            reason=Reason.SEND_OR_MENTAL_HEALTH,
            health_professional_should_agree=False,
            start_date=SUMMER_FIRST_DAY,
            end_date=end,
        )


def test_a_time_limit_beyond_the_calendar_is_refused_at_the_field(world):
    with_summer_term(world)
    with pytest.raises(ValidationError) as error:
        # Within the school's maximum in calendar days, but the calendar stops before it.
        propose(world, end=dt.date(2026, 9, 4))
    message = _refusal(error, "end_date")
    assert ENDS in message and WHO in message
    assert not Case.objects.exists()


def test_a_one_year_time_limit_without_a_calendar_is_refused(world):
    with pytest.raises(ValidationError) as error:
        propose(world, end=SUMMER_FIRST_DAY + dt.timedelta(days=365))
    message = _refusal(error, "end_date")
    assert "no school days yet" in message and "headteacher or an administrator" in message
    assert not Case.objects.exists()


def test_a_time_limit_on_the_last_school_day_is_accepted(world):
    with_summer_term(world)
    # 21/07/2026 is more than the maximum away from April, so the maximum still refuses it;
    # a date inside both the maximum and the calendar goes through.
    case = propose(world, end=dt.date(2026, 5, 8))
    assert case.end_date == dt.date(2026, 5, 8)


def _active_case(world) -> Case:
    case = propose(world, end=dt.date(2026, 5, 8))
    Case.objects.filter(pk=case.pk).update(status=Status.ACTIVE)
    return Case.objects.get(pk=case.pk)


def _review(world, case: Case, **extra):
    with on(dt.date(2026, 4, 20)):
        return services.review_record(
            actor=Actor.for_user(world.users["teacher"]),
            case=case,
            held_on=dt.date(2026, 4, 20),
            attendees="Class teacher, parent",
            progress="Settling well.",
            **extra,
        )


def test_an_extension_beyond_the_calendar_is_refused_at_the_new_time_limit(world):
    with_summer_term(world)
    case = _active_case(world)
    with pytest.raises(ValidationError) as error:
        _review(world, case, decision=Decision.EXTEND, new_end_date=dt.date(2026, 9, 7))
    assert ENDS in _refusal(error, "new_end_date")
    assert not case.reviews.exists()


def test_a_next_review_beyond_the_calendar_is_refused_at_the_field(world):
    with_summer_term(world)
    case = _active_case(world)
    with pytest.raises(ValidationError) as error:
        _review(world, case, decision=Decision.CONTINUE, next_review_date=dt.date(2026, 9, 7))
    message = _refusal(error, "next_review_date")
    assert ENDS in message and WHO in message
    assert not case.reviews.exists()


def test_a_next_review_on_the_last_school_day_is_accepted(world):
    with_summer_term(world)
    case = _active_case(world)
    review = _review(world, case, decision=Decision.CONTINUE, next_review_date=SUMMER_LAST_DAY)
    assert review.next_review_date == SUMMER_LAST_DAY


def test_a_session_beyond_the_calendar_is_refused_at_its_date(world):
    with_summer_term(world)
    with on(SUMMER_FIRST_DAY), pytest.raises(ValidationError) as error:
        session_plan(
            actor=Actor.for_user(world.users["teacher"]),
            school=world.school,
            title="Phonics",
            date=dt.date(2026, 9, 7),
            start_time=dt.time(10),
            end_time=dt.time(10, 30),
            pupils=[world.pupil],
            staff=[world.users["teacher"], world.users["class_staff"]],
        )
    message = _refusal(error, "date")
    assert ENDS in message and WHO in message
