"""The scheduled case rules: overdue reviews, time limits passed, agreements missing.

Time is moved with time-machine over a real school calendar (the summer term of 2026, with
the May Day bank holiday on Monday 4 May), so "school days" means what it means in school.
"""

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import services
from cases.flags.engine import NO_LONGER_APPLIES
from cases.flags.rules import (
    flag_missing_agreements,
    flag_overdue_reviews,
    flag_time_limits_passed,
    run_case_rules,
)
from cases.models import (
    AgreementMethod,
    Case,
    CaseSettings,
    Decision,
    Flag,
    FlagKind,
    Party,
    Reason,
    Status,
)
from core.actor import Actor
from schools.models import Term
from schools.services import school_days_refresh
from tests.factories import PupilFactory

LONDON = ZoneInfo("Europe/London")
SUMMER_FIRST_DAY = dt.date(2026, 4, 13)  # a Monday
SUMMER_LAST_DAY = dt.date(2026, 7, 21)
FIRST_REVIEW = dt.date(2026, 4, 27)  # ten school days after 13 April
TIME_LIMIT = dt.date(2026, 5, 8)  # a Friday


@contextmanager
def on(day: dt.date, hour: int = 7):
    """Stand at ``hour`` o'clock in London on ``day``."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON), tick=False):
        yield


def with_summer_term(world):
    """The world's school with its summer term 2026 entered and its school days worked out."""
    Term.objects.create(
        school=world.school,
        name="Summer 2026",
        first_day=SUMMER_FIRST_DAY,
        last_day=SUMMER_LAST_DAY,
    )
    school_days_refresh(school=world.school)
    return world


@pytest.fixture
def calendar(world):
    return with_summer_term(world)


def propose(world, pupil, *, on_day: dt.date, start: dt.date, end: dt.date, **extra) -> Case:
    with on(on_day):
        return services.case_propose(
            actor=Actor.for_user(world.users["teacher"]),
            pupil=pupil,
            reason=extra.pop("reason", Reason.SEND_OR_MENTAL_HEALTH),
            health_professional_should_agree=extra.pop("health", False),
            start_date=start,
            end_date=end,
            **extra,
        )


def agree(world, case: Case, *parties: str, on_day: dt.date) -> None:
    with on(on_day):
        for party in parties:
            services.agreement_record(
                actor=Actor.for_user(world.users["teacher"]),
                case=case,
                party=party,
                agreed_by=f"Someone for {party}",
                agreed_on=on_day,
                method=AgreementMethod.PHONE,
            )


ALL_PARTIES = (Party.SCHOOL, Party.CARERS, Party.PUPIL, Party.LOCAL_AUTHORITY)


def running_case(world, pupil=None, *, start=SUMMER_FIRST_DAY, end=TIME_LIMIT) -> Case:
    """A case proposed, agreed by everyone and started on ``start``."""
    pupil = pupil or world.pupil
    case = propose(world, pupil, on_day=start, start=start, end=end)
    agree(world, case, *ALL_PARTIES, on_day=start)
    with on(start):
        return services.case_activate(actor=Actor.for_user(world.users["teacher"]), case=case)


def flags(kind: str | None = None):
    found = Flag.objects.order_by("period", "id")
    return found.filter(kind=kind) if kind else found


def open_flags(kind: str | None = None):
    return flags(kind).filter(resolved_at__isnull=True)


# --- Reviews overdue and time limits passed --------------------------------------------------


def test_a_review_is_overdue_the_day_after_its_date_and_is_flagged_once(calendar):
    case = running_case(calendar)
    assert case.next_review_date == FIRST_REVIEW

    assert flag_overdue_reviews(FIRST_REVIEW) == 0  # due today: not yet overdue
    assert flag_overdue_reviews(FIRST_REVIEW + dt.timedelta(days=1)) == 1
    assert flag_overdue_reviews(FIRST_REVIEW + dt.timedelta(days=1)) == 0
    assert flag_overdue_reviews(FIRST_REVIEW + dt.timedelta(days=7)) == 0

    flag = flags().get()
    assert (flag.case, flag.kind, flag.period) == (case, FlagKind.REVIEW_OVERDUE, FIRST_REVIEW)
    assert flag.is_open
    assert flag.resolution == ""


def test_a_time_limit_is_flagged_on_the_day_it_is_reached_and_only_once(calendar):
    case = running_case(calendar)
    case.next_review_date = None  # keep this test to the time limit
    case.save(update_fields=["next_review_date"])

    assert flag_time_limits_passed(TIME_LIMIT - dt.timedelta(days=1)) == 0
    assert flag_time_limits_passed(TIME_LIMIT) == 1
    assert flag_time_limits_passed(TIME_LIMIT) == 0
    assert flag_time_limits_passed(TIME_LIMIT + dt.timedelta(days=10)) == 0

    flag = flags().get()
    assert (flag.case, flag.kind, flag.period) == (case, FlagKind.TIME_LIMIT_PASSED, TIME_LIMIT)


def test_running_every_rule_twice_raises_nothing_new(calendar):
    running_case(calendar)
    late = TIME_LIMIT + dt.timedelta(days=3)

    first = run_case_rules(late)
    before = list(flags().values_list("pk", "kind", "period", "raised_at", "resolved_at"))
    second = run_case_rules(late)

    assert first == {
        FlagKind.REVIEW_OVERDUE: 1,
        FlagKind.TIME_LIMIT_PASSED: 1,
        FlagKind.AGREEMENTS_MISSING: 0,
    }
    assert second == dict.fromkeys(first, 0)
    assert list(flags().values_list("pk", "kind", "period", "raised_at", "resolved_at")) == before


def test_only_running_cases_are_checked(calendar):
    proposal = propose(
        calendar, calendar.pupil, on_day=SUMMER_FIRST_DAY, start=SUMMER_FIRST_DAY, end=TIME_LIMIT
    )
    agree(calendar, proposal, *ALL_PARTIES, on_day=SUMMER_FIRST_DAY)  # agreed, not yet started

    assert flag_overdue_reviews(TIME_LIMIT + dt.timedelta(days=1)) == 0
    assert flag_time_limits_passed(TIME_LIMIT + dt.timedelta(days=1)) == 0


def test_a_reintegrating_case_is_still_checked(calendar):
    case = running_case(calendar)
    Case.objects.filter(pk=case.pk).update(status=Status.REINTEGRATING)

    counts = run_case_rules(TIME_LIMIT)

    assert counts[FlagKind.REVIEW_OVERDUE] == counts[FlagKind.TIME_LIMIT_PASSED] == 1


def test_a_review_held_resolves_its_flag_for_good_and_the_next_missed_date_flags_again(calendar):
    case = running_case(calendar)
    day_after = FIRST_REVIEW + dt.timedelta(days=1)
    flag_overdue_reviews(day_after)
    next_review = dt.date(2026, 5, 5)

    with on(day_after, hour=10):
        services.review_record(
            actor=Actor.for_user(calendar.users["teacher"]),
            case=case,
            held_on=day_after,
            attendees="Class teacher, parent",
            progress="Settled into the routine.",
            decision=Decision.CONTINUE,
            next_review_date=next_review,
        )
    first = flags(FlagKind.REVIEW_OVERDUE).get()
    assert not first.is_open
    assert first.resolution == "Review held."
    assert first.resolved_by == calendar.users["teacher"]

    # The same day, and every day until the new date has passed: nothing new, nothing undone.
    for day in (day_after, next_review):
        assert flag_overdue_reviews(day) == 0
    first.refresh_from_db()
    assert first.resolution == "Review held."

    assert flag_overdue_reviews(next_review + dt.timedelta(days=1)) == 1
    assert [(f.period, f.is_open) for f in flags(FlagKind.REVIEW_OVERDUE)] == [
        (FIRST_REVIEW, False),
        (next_review, True),
    ]


def test_extending_the_time_limit_resolves_its_flag_and_the_new_limit_is_checked(calendar):
    case = running_case(calendar)
    flag_time_limits_passed(TIME_LIMIT)
    new_limit = dt.date(2026, 5, 15)

    with on(TIME_LIMIT, hour=10):
        services.review_record(
            actor=Actor.for_user(calendar.users["teacher"]),
            case=case,
            held_on=TIME_LIMIT,
            attendees="Class teacher, SENCo, parent",
            progress="Not yet ready to return.",
            decision=Decision.EXTEND,
            new_end_date=new_limit,
            next_review_date=new_limit,
        )
    assert not open_flags().exists()
    assert flags(FlagKind.TIME_LIMIT_PASSED).get().resolution == "Review held."

    assert flag_time_limits_passed(TIME_LIMIT) == 0
    assert flag_time_limits_passed(new_limit) == 1
    assert open_flags(FlagKind.TIME_LIMIT_PASSED).get().period == new_limit


def test_closing_the_case_resolves_its_flags_and_nothing_is_raised_again(calendar):
    case = running_case(calendar)
    run_case_rules(TIME_LIMIT)
    assert open_flags().count() == 2

    with on(TIME_LIMIT, hour=15):
        services.case_close(
            actor=Actor.for_user(calendar.users["teacher"]),
            case=case,
            outcome="Back in class full time.",
            actual_return_date=TIME_LIMIT,
        )
    assert set(flags().values_list("resolution", flat=True)) == {"Case closed."}

    assert run_case_rules(TIME_LIMIT + dt.timedelta(days=3)) == dict.fromkeys(
        [FlagKind.REVIEW_OVERDUE, FlagKind.TIME_LIMIT_PASSED, FlagKind.AGREEMENTS_MISSING], 0
    )
    assert not open_flags().exists()
    assert set(flags().values_list("resolution", flat=True)) == {"Case closed."}


# --- Tidy-up: flags whose condition no longer holds -------------------------------------------


def test_flags_of_a_case_closed_without_the_service_are_tidied_up(calendar):
    case = running_case(calendar)
    run_case_rules(TIME_LIMIT)
    Case.objects.filter(pk=case.pk).update(
        status=Status.CLOSED, outcome="Returned.", actual_return_date=TIME_LIMIT
    )

    run_case_rules(TIME_LIMIT)

    assert open_flags().count() == 0
    assert set(flags().values_list("resolution", flat=True)) == {NO_LONGER_APPLIES}
    assert set(flags().values_list("resolved_by", flat=True)) == {None}


def test_moving_the_review_date_tidies_the_old_flag_and_flags_the_new_date_when_due(calendar):
    case = running_case(calendar)
    day_after = FIRST_REVIEW + dt.timedelta(days=1)
    flag_overdue_reviews(day_after)

    Case.objects.filter(pk=case.pk).update(next_review_date=dt.date(2026, 5, 1))
    assert flag_overdue_reviews(day_after) == 0
    old = flags(FlagKind.REVIEW_OVERDUE).get()
    assert (old.period, old.is_open, old.resolution) == (FIRST_REVIEW, False, NO_LONGER_APPLIES)

    assert flag_overdue_reviews(dt.date(2026, 5, 2)) == 1
    assert open_flags(FlagKind.REVIEW_OVERDUE).get().period == dt.date(2026, 5, 1)


def test_the_tidy_up_leaves_other_kinds_and_other_cases_alone(calendar):
    kept = running_case(calendar)
    moved = running_case(calendar, calendar.other_pupil)
    run_case_rules(TIME_LIMIT)
    contact = Flag.objects.create(case=moved, kind=FlagKind.DAILY_CONTACT_MISSED, period=TIME_LIMIT)
    Case.objects.filter(pk=moved.pk).update(next_review_date=None)

    run_case_rules(TIME_LIMIT)

    assert open_flags().filter(case=kept).count() == 2
    assert set(open_flags().filter(case=moved).values_list("kind", flat=True)) == {
        FlagKind.TIME_LIMIT_PASSED,
        FlagKind.DAILY_CONTACT_MISSED,
    }
    contact.refresh_from_db()
    assert contact.is_open


# --- Agreements missing ----------------------------------------------------------------------

PROPOSED_ON = dt.date(2026, 4, 30)  # a Thursday, before the May Day weekend


@pytest.fixture
def proposal(calendar) -> Case:
    return propose(
        calendar,
        calendar.pupil,
        on_day=PROPOSED_ON,
        start=dt.date(2026, 5, 5),
        end=dt.date(2026, 5, 29),
    )


@pytest.mark.parametrize(
    ("today", "school_days_since"),
    [
        (PROPOSED_ON, 0),
        (dt.date(2026, 5, 1), 1),  # Friday
        (dt.date(2026, 5, 2), 1),  # Saturday
        (dt.date(2026, 5, 3), 1),  # Sunday
        (dt.date(2026, 5, 4), 1),  # May Day bank holiday
        (dt.date(2026, 5, 5), 2),  # Tuesday
    ],
)
def test_a_proposal_is_not_flagged_within_its_grace_of_school_days(
    proposal, today, school_days_since
):
    CaseSettings.objects.all().delete()  # no settings saved: the default of three applies

    assert flag_missing_agreements(today) == 0
    assert not flags().exists()


def test_a_proposal_is_flagged_once_three_school_days_have_passed(proposal):
    CaseSettings.objects.all().delete()
    third_school_day = dt.date(2026, 5, 6)  # weekend and bank holiday not counted

    assert flag_missing_agreements(third_school_day) == 1
    assert flag_missing_agreements(third_school_day) == 0
    assert flag_missing_agreements(dt.date(2026, 5, 12)) == 0

    flag = flags().get()
    assert (flag.case, flag.kind, flag.period) == (
        proposal,
        FlagKind.AGREEMENTS_MISSING,
        PROPOSED_ON,
    )


def test_the_grace_is_the_schools_own_setting(proposal):
    CaseSettings.objects.filter(school=proposal.pupil.school).update(agreement_grace_school_days=5)

    assert flag_missing_agreements(dt.date(2026, 5, 6)) == 0
    assert flag_missing_agreements(dt.date(2026, 5, 7)) == 0  # four school days
    assert flag_missing_agreements(dt.date(2026, 5, 8)) == 1  # five


def test_a_proposal_with_every_agreement_is_not_flagged_for_agreements(calendar, proposal):
    agree(calendar, proposal, *ALL_PARTIES, on_day=PROPOSED_ON)

    assert flag_missing_agreements(dt.date(2026, 5, 12)) == 0


def test_starting_the_case_resolves_the_flag_and_it_stays_resolved(calendar, proposal):
    flag_missing_agreements(dt.date(2026, 5, 6))
    agree(calendar, proposal, *ALL_PARTIES, on_day=dt.date(2026, 5, 6))
    with on(dt.date(2026, 5, 6), hour=10):
        services.case_activate(actor=Actor.for_user(calendar.users["teacher"]), case=proposal)

    assert flags().get().resolution == "All parties agreed."
    assert flag_missing_agreements(dt.date(2026, 5, 7)) == 0
    assert flags().get().resolution == "All parties agreed."


def test_agreements_recorded_without_starting_tidy_the_flag_up(calendar, proposal):
    flag_missing_agreements(dt.date(2026, 5, 6))
    agree(calendar, proposal, *ALL_PARTIES, on_day=dt.date(2026, 5, 6))

    assert flag_missing_agreements(dt.date(2026, 5, 7)) == 0
    flag = flags().get()
    assert (flag.is_open, flag.resolution) == (False, NO_LONGER_APPLIES)


def test_the_parties_the_rule_needs_are_those_the_services_need(calendar):
    """The rule restates services.required_parties in SQL; the two must agree."""
    ehc_plan = {"has_ehc_plan": True}
    social_worker = {"has_ehc_plan": False, "social_worker_name": "Sam Lowe"}
    some = (Party.SCHOOL, Party.CARERS, Party.PUPIL)
    scenarios = [
        (ehc_plan, Reason.SEND_OR_MENTAL_HEALTH, "", some),
        (ehc_plan, Reason.SEND_OR_MENTAL_HEALTH, "", ALL_PARTIES),
        (social_worker, Reason.SEND_OR_MENTAL_HEALTH, "", ALL_PARTIES),
        (social_worker, Reason.INJURY, "", ALL_PARTIES),
        (social_worker, Reason.INJURY, "", (*ALL_PARTIES, Party.MEDICAL)),
        (ehc_plan, Reason.OPERATION, "The consultant is on leave", ALL_PARTIES),
        (ehc_plan, Reason.INFECTIOUS_ILLNESS, "", (Party.SCHOOL, Party.MEDICAL)),
        (ehc_plan, Reason.INFECTIOUS_ILLNESS, "", ()),
        # SEND or mental health, where staff said a health professional (CAMHS) should agree.
        (ehc_plan, Reason.SEND_OR_MENTAL_HEALTH, "health", ALL_PARTIES),
        (ehc_plan, Reason.SEND_OR_MENTAL_HEALTH, "health", (*ALL_PARTIES, Party.MEDICAL)),
    ]
    cases = []
    for pupil_fields, reason, not_needed, parties in scenarios:
        health = not_needed == "health"
        not_needed = "" if health else not_needed
        case = propose(
            calendar,
            PupilFactory(school_class=calendar.class_a, **pupil_fields),
            on_day=PROPOSED_ON,
            start=dt.date(2026, 5, 5),
            end=dt.date(2026, 5, 29),
            reason=reason,
            medical_agreement_not_needed=not_needed,
            health=health,
        )
        agree(calendar, case, *parties, on_day=PROPOSED_ON)
        cases.append(case)

    flag_missing_agreements(dt.date(2026, 5, 6))

    expected = [bool(services.missing_parties(case)) for case in cases]
    assert expected == [True, False, False, True, False, False, True, True, True, False]
    flagged = set(flags(FlagKind.AGREEMENTS_MISSING).values_list("case_id", flat=True))
    assert [case.pk in flagged for case in cases] == expected
