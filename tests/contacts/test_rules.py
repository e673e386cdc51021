"""The scheduled contact rules: missed daily contacts, overdue wellbeing checks and families
not responding (policy section 3.2).

Time is moved with time-machine over a real school calendar: a term from 23 March to 10 April
2026 with an INSET day on Wednesday 1 April. The clocks go forward on Sunday 29 March, Good
Friday (3 April) and Easter Monday (6 April) are bank holidays, so the school week of 30 March
ends on Thursday 2 April. An autumn term starts on the late summer bank holiday (Monday 31
August) and breaks for half term across the October clock change (Sunday 25 October).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.flags.engine import NO_LONGER_APPLIES
from cases.flags.selectors import flags_needing_action
from cases.models import AttendanceCode, Basis, Case, Flag, FlagKind, Reason, Status
from contacts.models import Channel, ContactKind, ContactLog, ContactSettings, Outcome
from contacts.rules import (
    RULES,
    flag_families_not_responding,
    flag_missed_daily_contacts,
    flag_overdue_wellbeing_checks,
    run_daily_contact_rules,
    run_weekly_contact_rules,
)
from contacts.services import contact_log_record
from core.actor import Actor
from schools.models import ClosureDay, ClosureKind, Term
from schools.services import school_days_refresh
from tests.factories import PupilFactory

LONDON = ZoneInfo("Europe/London")


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


TERM_FIRST_DAY = d(3, 23)
TERM_LAST_DAY = d(4, 10)
INSET = d(4, 1)  # Wednesday
GOOD_FRIDAY = d(4, 3)
EASTER_MONDAY = d(4, 6)
MONDAY = d(3, 30)  # the first Monday after the clocks go forward
TIME_LIMIT = d(4, 24)
# The school days from Monday 30 March to Friday 10 April.
SCHOOL_DAYS = [d(3, 30), d(3, 31), d(4, 2), d(4, 7), d(4, 8), d(4, 9), d(4, 10)]
# Every date from the weekend the clocks change to the end of term.
EVERY_DAY = [d(3, 28) + dt.timedelta(days=n) for n in range(14)]


def at(day: dt.date, hour: int = 16, minute: int = 30) -> dt.datetime:
    """``hour:minute`` in London on ``day`` (BST or GMT, whichever applies)."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def with_spring_calendar(world):
    """The world's school with the term around Easter 2026 and its INSET day."""
    Term.objects.create(
        school=world.school, name="Spring 2 2026", first_day=TERM_FIRST_DAY, last_day=TERM_LAST_DAY
    )
    ClosureDay.objects.create(school=world.school, date=INSET, kind=ClosureKind.INSET)
    school_days_refresh(school=world.school)
    return world


@pytest.fixture
def calendar(world):
    return with_spring_calendar(world)


def running_case(world, pupil=None, *, start=MONDAY, end=TIME_LIMIT, status=Status.ACTIVE) -> Case:
    return Case.objects.create(
        pupil=pupil or PupilFactory(school_class=world.class_a),
        basis=Basis.INDIVIDUAL,
        reason=Reason.SEND_OR_MENTAL_HEALTH,
        status=status,
        start_date=start,
        end_date=end,
        attendance_code=AttendanceCode.Y7,
        proposed_on=start - dt.timedelta(days=7),
        created_by=world.users["teacher"],
    )


def log(
    world,
    case: Case,
    when: dt.datetime,
    *,
    outcome: str = Outcome.SPOKE_WITH_CARER,
    kind: str = ContactKind.DAILY,
) -> ContactLog:
    """A contact logged by the teacher through the service, at ``when``."""
    with time_machine.travel(when, tick=False):
        return contact_log_record(
            actor=Actor.for_user(world.users["teacher"]),
            case=case,
            channel=Channel.TELEPHONE,
            outcome=outcome,
            kind=kind,
        )


def flags(kind: str | None = None, case: Case | None = None):
    found = Flag.objects.order_by("period", "id")
    if kind:
        found = found.filter(kind=kind)
    if case:
        found = found.filter(case=case)
    return found


def open_flags(kind: str | None = None, case: Case | None = None):
    return flags(kind, case).filter(resolved_at__isnull=True)


def periods(kind: str, case: Case | None = None) -> list[dt.date]:
    return list(flags(kind, case).values_list("period", flat=True))


def test_the_calendar_is_the_one_these_tests_describe(calendar):
    school_days = calendar.school.school_days.filter(date__range=(EVERY_DAY[0], EVERY_DAY[-1]))
    assert list(school_days.values_list("date", flat=True)) == SCHOOL_DAYS


# --- Missed daily contact --------------------------------------------------------------------


@pytest.mark.parametrize("day", EVERY_DAY, ids=str)
def test_a_missed_daily_contact_is_flagged_on_school_days_only(calendar, day):
    case = running_case(calendar, start=TERM_FIRST_DAY)

    raised = flag_missed_daily_contacts(day)

    assert raised == (1 if day in SCHOOL_DAYS else 0)
    assert periods(FlagKind.DAILY_CONTACT_MISSED, case) == ([day] if day in SCHOOL_DAYS else [])


def test_a_day_when_someone_was_reached_is_not_flagged_and_running_twice_raises_nothing_new(
    calendar,
):
    reached = running_case(calendar)
    tried = running_case(calendar)
    silent = running_case(calendar)
    log(calendar, reached, at(MONDAY, 10))
    # "No response" is an attempt, not a contact: the day still had no daily contact.
    log(calendar, tried, at(MONDAY, 11), outcome=Outcome.NO_RESPONSE)

    assert flag_missed_daily_contacts(MONDAY) == 2
    before = list(flags().values_list("pk", "case", "period", "raised_at"))
    assert flag_missed_daily_contacts(MONDAY) == 0

    assert list(flags().values_list("pk", "case", "period", "raised_at")) == before
    assert sorted((case, period) for _, case, period, _ in before) == [
        (tried.pk, MONDAY),
        (silent.pk, MONDAY),
    ]


def test_running_cases_from_their_start_are_flagged_even_past_their_time_limit(calendar):
    running_case(calendar, status=Status.PROPOSED)
    reintegrating = running_case(calendar, status=Status.REINTEGRATING)
    not_started = running_case(calendar, start=d(3, 31))
    # Still at home after the time limit: the review is overdue, and contact is still due.
    past_limit = running_case(calendar, start=TERM_FIRST_DAY, end=d(3, 27))

    assert flag_missed_daily_contacts(MONDAY) == 2
    assert {f.case for f in flags()} == {reintegrating, past_limit}
    assert flag_missed_daily_contacts(d(3, 31)) == 3
    assert {f.case for f in flags().filter(period=d(3, 31))} == {
        reintegrating,
        not_started,
        past_limit,
    }


def test_a_contact_logged_later_resolves_that_days_flag_only(calendar):
    case = running_case(calendar)
    flag_missed_daily_contacts(MONDAY)
    flag_missed_daily_contacts(d(3, 31))

    log(calendar, case, at(d(3, 31), 17))

    assert open_flags(FlagKind.DAILY_CONTACT_MISSED).get().period == MONDAY
    assert flags(FlagKind.DAILY_CONTACT_MISSED).get(period=d(3, 31)).resolution == (
        "Contact logged."
    )
    assert flag_missed_daily_contacts(d(3, 31)) == 0


def test_a_contact_logged_at_half_past_eleven_utc_in_summer_time_counts_for_the_next_day(
    calendar,
):
    case = running_case(calendar)
    flag_missed_daily_contacts(MONDAY)

    # 23:30 UTC on Monday 30 March is 00:30 on Tuesday 31 March in London (BST).
    contact = log(calendar, case, dt.datetime(2026, 3, 30, 23, 30, tzinfo=dt.UTC))

    assert contact.contact_date == d(3, 31)
    assert open_flags(FlagKind.DAILY_CONTACT_MISSED).get().period == MONDAY
    assert flag_missed_daily_contacts(d(3, 31)) == 0
    assert flag_missed_daily_contacts(MONDAY) == 0
    assert periods(FlagKind.DAILY_CONTACT_MISSED) == [MONDAY]


def test_a_contact_logged_without_the_service_tidies_the_flag_up(calendar):
    case = running_case(calendar)
    flag_missed_daily_contacts(MONDAY)
    ContactLog.objects.create(
        case=case,
        contacted_at=at(MONDAY, 12),
        contact_date=MONDAY,
        staff=calendar.users["teacher"],
        channel=Channel.EMAIL,
        outcome=Outcome.SPOKE_WITH_CARER,
    )

    assert flag_missed_daily_contacts(d(3, 31)) == 1
    old = flags(FlagKind.DAILY_CONTACT_MISSED).get(period=MONDAY)
    assert (old.is_open, old.resolution, old.resolved_by) == (False, NO_LONGER_APPLIES, None)


def test_a_day_made_a_closure_day_afterwards_tidies_its_flag_up(calendar):
    running_case(calendar)
    flag_missed_daily_contacts(MONDAY)
    ClosureDay.objects.create(school=calendar.school, date=MONDAY, kind=ClosureKind.CLOSURE)
    school_days_refresh(school=calendar.school)

    assert flag_missed_daily_contacts(d(3, 31)) == 1
    assert flags().get(period=MONDAY).resolution == NO_LONGER_APPLIES


# --- Weekly wellbeing check ------------------------------------------------------------------


@pytest.mark.parametrize("day", EVERY_DAY, ids=str)
def test_the_wellbeing_check_is_checked_on_the_last_school_day_of_the_week_only(calendar, day):
    case = running_case(calendar, start=TERM_FIRST_DAY)
    # Thursday 2 April (Good Friday follows) and Friday 10 April.
    last_school_days = {d(4, 2): MONDAY, d(4, 10): EASTER_MONDAY}

    raised = flag_overdue_wellbeing_checks(day)

    assert raised == (1 if day in last_school_days else 0)
    expected = [last_school_days[day]] if day in last_school_days else []
    assert periods(FlagKind.WELLBEING_CHECK_OVERDUE, case) == expected


def test_a_wellbeing_check_this_week_keeps_the_case_off_the_list(calendar):
    checked = running_case(calendar)
    daily_only = running_case(calendar)
    last_week = running_case(calendar, start=TERM_FIRST_DAY)
    log(calendar, checked, at(MONDAY, 10), kind=ContactKind.WELLBEING)
    log(calendar, daily_only, at(d(4, 2), 10))
    log(calendar, last_week, at(d(3, 27), 10), kind=ContactKind.WELLBEING)

    assert flag_overdue_wellbeing_checks(d(4, 2)) == 2
    assert set(flags().values_list("case", flat=True)) == {daily_only.pk, last_week.pk}
    assert flag_overdue_wellbeing_checks(d(4, 2)) == 0


def test_a_case_that_started_during_the_week_waits_for_the_next_week(calendar):
    started_tuesday = running_case(calendar, start=d(3, 31))
    # Easter Monday is a bank holiday: the school week of 6 April starts on Tuesday 7 April.
    started_after_easter = running_case(calendar, start=d(4, 7))
    started_wednesday = running_case(calendar, start=d(4, 8))

    assert flag_overdue_wellbeing_checks(d(4, 2)) == 0
    assert flag_overdue_wellbeing_checks(d(4, 10)) == 2
    assert set(flags().values_list("case", flat=True)) == {
        started_tuesday.pk,
        started_after_easter.pk,
    }
    assert not flags(case=started_wednesday).exists()


def test_a_week_without_school_days_flags_nothing(calendar):
    running_case(calendar, end=d(5, 29))

    # The Easter holidays: the term ended on 10 April.
    for n in range(7):
        assert flag_overdue_wellbeing_checks(d(4, 13) + dt.timedelta(days=n)) == 0
    assert not flags().exists()


def test_a_wellbeing_check_logged_late_resolves_the_flag(calendar):
    case = running_case(calendar)
    flag_overdue_wellbeing_checks(d(4, 2))

    # Logged on Good Friday: the service resolves it.
    log(calendar, case, at(GOOD_FRIDAY, 10), kind=ContactKind.WELLBEING)

    flag = flags(FlagKind.WELLBEING_CHECK_OVERDUE).get()
    assert (flag.is_open, flag.resolution) == (False, "Wellbeing check logged.")
    assert flag_overdue_wellbeing_checks(d(4, 2)) == 0


def test_a_wellbeing_check_logged_without_the_service_tidies_the_flag_up(calendar):
    case = running_case(calendar)
    flag_overdue_wellbeing_checks(d(4, 2))
    ContactLog.objects.create(
        case=case,
        contacted_at=at(d(4, 7), 10),
        contact_date=d(4, 7),
        staff=calendar.users["teacher"],
        channel=Channel.TELEPHONE,
        kind=ContactKind.WELLBEING,
        outcome=Outcome.SPOKE_WITH_PUPIL,
    )

    assert flag_overdue_wellbeing_checks(d(4, 7)) == 0
    assert flags().get().resolution == NO_LONGER_APPLIES


# --- Families not responding -----------------------------------------------------------------


def test_two_school_days_without_reaching_the_family_flag_a_home_visit(calendar):
    case = running_case(calendar)

    assert flag_families_not_responding(MONDAY) == 0  # one school day
    assert flag_families_not_responding(d(3, 31)) == 1  # two
    assert flag_families_not_responding(d(4, 2)) == 0  # the same silence

    flag = flags().get()
    assert (flag.case, flag.kind, flag.period) == (case, FlagKind.FAMILY_NOT_RESPONDING, MONDAY)
    assert flag.get_kind_display() == "Family not responding: arrange a home visit"


def test_weekends_bank_holidays_and_inset_days_are_not_counted(calendar):
    case = running_case(calendar)
    log(calendar, case, at(d(3, 31), 10))  # reached on Tuesday; Wednesday is an INSET day
    log(calendar, case, at(d(4, 2), 10), outcome=Outcome.NO_RESPONSE)

    # Thursday: one school day. Good Friday, the weekend and Easter Monday add nothing.
    for day in (d(4, 1), d(4, 2), GOOD_FRIDAY, d(4, 4), d(4, 5), EASTER_MONDAY):
        assert flag_families_not_responding(day) == 0, day
    assert flag_families_not_responding(d(4, 7)) == 1  # Tuesday: the second school day
    assert flags().get().period == d(3, 31)


def test_three_failed_attempts_in_one_day_flag_a_home_visit(calendar):
    case = running_case(calendar)
    reached = running_case(calendar)
    log(calendar, case, at(MONDAY, 9), outcome=Outcome.NO_RESPONSE)
    log(calendar, case, at(MONDAY, 11), outcome=Outcome.MESSAGE_LEFT)
    log(calendar, reached, at(MONDAY, 9), outcome=Outcome.NO_RESPONSE)
    log(calendar, reached, at(MONDAY, 11), outcome=Outcome.NO_RESPONSE)
    log(calendar, reached, at(MONDAY, 12), outcome=Outcome.SPOKE_WITH_PUPIL)
    log(calendar, reached, at(MONDAY, 13), outcome=Outcome.NO_RESPONSE)

    assert flag_families_not_responding(MONDAY) == 0  # two attempts
    log(calendar, case, at(MONDAY, 14), outcome=Outcome.NO_RESPONSE)
    assert flag_families_not_responding(MONDAY) == 1  # three

    assert flags().get().case == case


def test_reaching_the_family_resolves_the_flag_and_a_new_silence_is_flagged_again(calendar):
    case = running_case(calendar)
    flag_families_not_responding(d(3, 31))

    log(calendar, case, at(d(4, 2), 10), outcome=Outcome.SPOKE_WITH_PUPIL)

    first = flags().get()
    assert (first.is_open, first.resolution) == (False, "The family was reached.")
    assert first.resolved_by == calendar.users["teacher"]
    assert flag_families_not_responding(d(4, 2)) == 0
    assert flag_families_not_responding(d(4, 7)) == 0
    assert flag_families_not_responding(d(4, 8)) == 1
    assert [(f.period, f.is_open) for f in flags()] == [(MONDAY, False), (d(4, 2), True)]


def test_the_thresholds_are_the_schools_own_settings(calendar):
    ContactSettings.objects.create(
        school=calendar.school, no_response_school_days=3, no_response_attempts=4
    )
    case = running_case(calendar)
    for hour in (9, 10, 11):
        log(calendar, case, at(MONDAY, hour), outcome=Outcome.NO_RESPONSE)

    assert flag_families_not_responding(MONDAY) == 0
    assert flag_families_not_responding(d(3, 31)) == 0
    assert flag_families_not_responding(d(4, 2)) == 1  # the third school day


def test_a_success_logged_without_the_service_tidies_the_flag_up(calendar):
    case = running_case(calendar)
    flag_families_not_responding(d(3, 31))
    ContactLog.objects.create(
        case=case,
        contacted_at=at(d(4, 2), 9),
        contact_date=d(4, 2),
        staff=calendar.users["teacher"],
        channel=Channel.HOME_VISIT,
        outcome=Outcome.SPOKE_WITH_CARER,
    )

    assert flag_families_not_responding(d(4, 2)) == 0
    assert flags().get().resolution == NO_LONGER_APPLIES


def test_the_home_visit_flag_is_shown_to_slt_and_the_dsl(calendar):
    case = running_case(calendar, calendar.pupil)
    flag_families_not_responding(d(3, 31))

    for person in ("slt_class", "dsl", "teacher"):
        shown = flags_needing_action(calendar.users[person])
        assert [(f.case, f.kind) for f in shown.flags] == [
            (case, FlagKind.FAMILY_NOT_RESPONDING)
        ], person
    assert flags_needing_action(calendar.users["other_school_head"]).flags == []


# --- Every rule ------------------------------------------------------------------------------


def test_closing_a_case_without_the_service_tidies_every_kind_up(calendar):
    case = running_case(calendar)
    run_daily_contact_rules(MONDAY)
    run_daily_contact_rules(d(3, 31))
    run_weekly_contact_rules(d(4, 2))
    assert open_flags().count() == 4  # two days missed, not responding, wellbeing

    Case.objects.filter(pk=case.pk).update(
        status=Status.CLOSED, outcome="Back in class.", actual_return_date=d(4, 7)
    )
    assert run_daily_contact_rules(d(4, 7)) == dict.fromkeys(
        [FlagKind.DAILY_CONTACT_MISSED, FlagKind.FAMILY_NOT_RESPONDING], 0
    )
    run_weekly_contact_rules(d(4, 10))

    assert not open_flags().exists()
    assert set(flags().values_list("resolution", flat=True)) == {NO_LONGER_APPLIES}


def test_the_tidy_up_leaves_other_kinds_alone(calendar):
    case = running_case(calendar)
    review = Flag.objects.create(case=case, kind=FlagKind.REVIEW_OVERDUE, period=MONDAY)

    for rule in RULES.values():
        rule(d(4, 2))

    review.refresh_from_db()
    assert review.is_open


def test_running_every_rule_twice_raises_nothing_new(calendar):
    for _ in range(3):
        running_case(calendar)

    first = {**run_daily_contact_rules(d(4, 2)), **run_weekly_contact_rules(d(4, 2))}
    before = list(flags().values_list("pk", "kind", "period", "raised_at", "resolved_at"))
    second = {**run_daily_contact_rules(d(4, 2)), **run_weekly_contact_rules(d(4, 2))}

    assert first == {
        FlagKind.DAILY_CONTACT_MISSED: 3,
        FlagKind.FAMILY_NOT_RESPONDING: 3,
        FlagKind.WELLBEING_CHECK_OVERDUE: 3,
    }
    assert second == dict.fromkeys(first, 0)
    assert list(flags().values_list("pk", "kind", "period", "raised_at", "resolved_at")) == before


# --- The autumn term: a bank holiday first day and the October clock change -----------------


def test_the_autumn_bank_holiday_inset_day_and_half_term_are_never_flagged(world):
    Term.objects.create(
        school=world.school, name="Autumn 1 2026", first_day=d(8, 31), last_day=d(10, 23)
    )
    Term.objects.create(
        school=world.school, name="Autumn 2 2026", first_day=d(11, 2), last_day=d(12, 18)
    )
    ClosureDay.objects.create(school=world.school, date=d(9, 1), kind=ClosureKind.INSET)
    school_days_refresh(school=world.school)
    first_week = running_case(world, start=d(8, 31), end=d(9, 11))
    half_term = running_case(world, start=d(10, 19), end=d(11, 6))

    days = [d(8, 29) + dt.timedelta(days=n) for n in range(8)]
    days += [d(10, 22) + dt.timedelta(days=n) for n in range(13)]
    not_responding_raised_on = []
    for day in days:
        if day == d(10, 22):
            # The first-week pupil went back to school in September.
            Case.objects.filter(pk=first_week.pk).update(
                status=Status.CLOSED, outcome="Back in school.", actual_return_date=d(9, 14)
            )
        if run_daily_contact_rules(day)[FlagKind.FAMILY_NOT_RESPONDING]:
            not_responding_raised_on.append(day)
        run_weekly_contact_rules(day)

    assert periods(FlagKind.DAILY_CONTACT_MISSED, first_week) == [d(9, 2), d(9, 3), d(9, 4)]
    assert periods(FlagKind.DAILY_CONTACT_MISSED, half_term) == [
        d(10, 22),
        d(10, 23),
        d(11, 2),
        d(11, 3),
    ]
    # First week: Wednesday to Friday; the case started before its first school day.
    assert periods(FlagKind.WELLBEING_CHECK_OVERDUE, first_week) == [d(8, 31)]
    # Checked on Friday 23 October; half term has no school days and flags nothing.
    assert periods(FlagKind.WELLBEING_CHECK_OVERDUE, half_term) == [d(10, 19)]
    # Never reached: the second school day of each case (31 August and 1 September are not).
    assert periods(FlagKind.FAMILY_NOT_RESPONDING, first_week) == [d(8, 31)]
    assert not_responding_raised_on == [d(9, 3), d(10, 22)]
