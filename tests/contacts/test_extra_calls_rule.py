"""Extra calls decided by the DSL team (policy section 3.2: "telephone calls made more
frequently if deemed necessary following discussions with Designated Safeguarding Team"):
a day on which fewer calls were made than decided is flagged after school.

A day with a plan of N extra calls needs the daily contact and N calls beyond it, so N calls
by telephone or Teams video (answered or not: a call nobody picked up is still a call made)
and N + 1 contacts in all. WEDUC, email, the platform, a home visit or a meeting are contacts
but not calls. Only on the plan's weekdays (none ticked: every school day), only on school
days, only for running cases. Calendar: see tests/contacts/test_rules.py.
"""

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings

from cases.flags.engine import NO_LONGER_APPLIES
from cases.flags.selectors import flags_needing_action
from cases.models import FlagKind, Status
from contacts.models import Channel, ContactPlan, Outcome
from contacts.rules import RULES, flag_extra_calls_short
from contacts.services import contact_log_record
from contacts.tasks import check_extra_calls
from core.actor import Actor
from safeguarding.dashboard.selectors import DASHBOARD_FLAG_KINDS
from tests.contacts.test_rules import (
    EVERY_DAY,
    MONDAY,
    SCHOOL_DAYS,
    at,
    calendar,  # noqa: F401
    d,
    flags,
    periods,
    running_case,
)

SHORT = FlagKind.EXTRA_CALLS_SHORT


def with_plan(world, case, calls: int = 1, weekdays: str = "") -> None:
    ContactPlan.objects.create(
        case=case,
        extra_calls_per_day=calls,
        extra_call_weekdays=weekdays,
        decided_reason="Agreed at the DSL meeting.",
        decided_by=world.users["dsl"],
    )


def call(world, case, day, channel=Channel.TELEPHONE, outcome=Outcome.SPOKE_WITH_CARER, hour=10):
    with time_machine.travel(at(day, hour), tick=False):
        contact_log_record(
            actor=Actor.for_user(world.users["teacher"]),
            case=case,
            channel=channel,
            outcome=outcome,
        )


@pytest.mark.parametrize("day", EVERY_DAY, ids=str)
def test_only_the_plans_weekdays_that_are_school_days_are_checked(calendar, day):  # noqa: F811
    # Monday and Wednesday; Wednesday 1 April is an INSET day.
    case = running_case(calendar)
    with_plan(calendar, case, weekdays="0,2")
    every_day = running_case(calendar)
    with_plan(calendar, every_day)

    flag_extra_calls_short(day)

    checked = day in SCHOOL_DAYS and day.weekday() in (0, 2)
    assert periods(SHORT, case) == ([day] if checked else [])
    assert periods(SHORT, every_day) == ([day] if day in SCHOOL_DAYS else [])


@pytest.mark.parametrize(
    ("contacts", "short"),
    [
        ([Channel.TELEPHONE, Channel.TELEPHONE], False),
        ([(Channel.TELEPHONE, Outcome.NO_RESPONSE), Channel.TELEPHONE], False),
        ([Channel.WEDUC, Channel.TELEPHONE], False),  # the daily contact, then the call
        ([Channel.TEAMS, Channel.EMAIL], False),  # a Teams video call counts
        ([Channel.TELEPHONE], True),  # the daily contact, but no call beyond it
        ([Channel.EMAIL, Channel.WEDUC], True),
        ([Channel.PLATFORM, Channel.HOME_VISIT, Channel.IN_PERSON], True),
        ([], True),
    ],
)
def test_only_telephone_and_video_attempts_count_as_calls(calendar, contacts, short):  # noqa: F811
    case = running_case(calendar)
    with_plan(calendar, case, calls=1)
    for hour, contact in enumerate(contacts, start=9):
        channel, outcome = (
            contact if isinstance(contact, tuple) else (contact, Outcome.SPOKE_WITH_CARER)
        )
        call(calendar, case, MONDAY, channel, outcome, hour=hour)

    assert flag_extra_calls_short(MONDAY) == (1 if short else 0)


def test_two_extra_calls_need_two_calls_and_three_contacts(calendar):  # noqa: F811
    case = running_case(calendar)
    with_plan(calendar, case, calls=2)
    call(calendar, case, MONDAY, Channel.WEDUC, hour=9)
    call(calendar, case, MONDAY, Channel.TELEPHONE, hour=10)
    assert flag_extra_calls_short(MONDAY) == 1
    call(calendar, case, d(3, 31), Channel.WEDUC, hour=9)
    call(calendar, case, d(3, 31), Channel.TELEPHONE, hour=10)
    call(calendar, case, d(3, 31), Channel.TEAMS, Outcome.NO_RESPONSE, hour=11)
    assert flag_extra_calls_short(d(3, 31)) == 0


def test_only_running_cases_with_extra_calls_decided_are_flagged(calendar):  # noqa: F811
    for status in (Status.PROPOSED, Status.ACTIVE, Status.REINTEGRATING):
        with_plan(calendar, running_case(calendar, status=status))
    with_plan(calendar, running_case(calendar, start=d(3, 31)))  # not started yet
    with_plan(calendar, running_case(calendar), calls=0)
    running_case(calendar)  # no plan at all

    assert flag_extra_calls_short(MONDAY) == 2
    assert set(flags(SHORT).values_list("case__status", flat=True)) == {
        Status.ACTIVE,
        Status.REINTEGRATING,
    }


def test_running_twice_raises_nothing_new_and_a_later_call_tidies_the_flag(calendar):  # noqa: F811
    case = running_case(calendar)
    with_plan(calendar, case)
    call(calendar, case, MONDAY, Channel.EMAIL)
    assert flag_extra_calls_short(MONDAY) == 1
    before = list(flags(SHORT).values_list("pk", "period", "raised_at"))
    assert flag_extra_calls_short(MONDAY) == 0
    assert list(flags(SHORT).values_list("pk", "period", "raised_at")) == before

    call(calendar, case, MONDAY, Channel.TELEPHONE, hour=17)  # logged after the check
    flag_extra_calls_short(d(3, 31))
    flag = flags(SHORT).get(period=MONDAY)
    assert (flag.is_open, flag.resolution) == (False, NO_LONGER_APPLIES)


def test_the_flag_is_shown_to_those_who_see_the_other_contact_flags(calendar):  # noqa: F811
    case = running_case(calendar, calendar.pupil)
    with_plan(calendar, case)
    flag_extra_calls_short(MONDAY)

    for person in ("teacher", "slt_class", "dsl", "headteacher"):
        shown = flags_needing_action(calendar.users[person]).flags
        assert [(f.case, f.kind) for f in shown] == [(case, SHORT)], person
    assert flags_needing_action(calendar.users["other_school_head"]).flags == []
    assert SHORT in DASHBOARD_FLAG_KINDS
    assert SHORT in RULES
    assert flags(SHORT).get().get_kind_display() == "Extra calls decided by the DSL team not made"


def test_the_check_runs_after_the_school_day_on_weekdays(calendar):  # noqa: F811
    case = running_case(calendar)
    with_plan(calendar, case)
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == check_extra_calls.name
    ]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab)
    assert (schedule.hour, schedule.minute, schedule.day_of_week) == ({16}, {30}, {1, 2, 3, 4, 5})

    with time_machine.travel(at(MONDAY, 16, 30), tick=False):
        assert check_extra_calls.apply().get() == {SHORT: 1}
        assert check_extra_calls.apply().get() == {SHORT: 0}
