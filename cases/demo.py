"""Demo remote-education cases for the demo school, so every page has something to show.

Five pupils, one case each, in the states a school meets: a proposal still waiting for
agreements, an active case with its provision, one whose review is overdue, one returning to
school and one closed. Dates are counted in school days back from today, so the demo looks
current whenever it is loaded. A pupil who already has a case is left alone: loading twice
changes nothing.
"""

import datetime

from django.db import transaction

from cases.flags.rules import run_case_rules
from cases.models import AgreementMethod, Case, Decision, Party, Reason
from cases.services import (
    agreement_record,
    case_activate,
    case_close,
    case_propose,
    provision_record,
    reintegration_plan_save,
    reintegration_step_add,
    required_parties,
    review_record,
)
from core.actor import Actor
from schools.calendar import add_school_days, is_school_day, today
from schools.models import Membership, Pupil, Role, School

AGREED_BY = {
    Party.SCHOOL: "Class teacher, for the school",
    Party.CARERS: "Parent, by telephone",
    Party.PUPIL: "The pupil, with their teacher",
    Party.MEDICAL: "Consultant, Midshire Children's Hospital",
    Party.LOCAL_AUTHORITY: "SEND caseworker, Midshire County Council",
}


def _teacher_of(pupil: Pupil) -> object:
    membership = (
        Membership.objects.filter(school_class=pupil.school_class, role=Role.TEACHER)
        .select_related("user")
        .first()
    )
    return membership.user


def _back(school: School, days: int) -> datetime.date:
    return add_school_days(school, today(), -days) or today() - datetime.timedelta(days=days)


def _agree_all(case: Case, by: object, on: datetime.date, skip: tuple[str, ...] = ()) -> None:
    for party in required_parties(case):
        if party in skip:
            continue
        agreement_record(
            actor=Actor.for_user(by),
            case=case,
            party=party,
            agreed_by=AGREED_BY[party],
            agreed_on=on,
            method=AgreementMethod.MEETING,
        )


def _provide(case: Case, by: object, days: list[datetime.date]) -> None:
    for day in days:
        if is_school_day(case.pupil.school, day) and day <= today():
            provision_record(
                actor=Actor.for_user(by),
                case=case,
                date=day,
                sent_by_email=True,
                sent_to_platform=True,
                visual_timetable_sent=True,
                feedback="Managed most of the activities; liked the sensory story.",
            )


def _open(pupil: Pupil, reason: str, start: datetime.date, school_days_long: int, summary: str):
    school = pupil.school
    end = add_school_days(school, start, school_days_long) or start + datetime.timedelta(28)
    return case_propose(
        actor=Actor.for_user(_teacher_of(pupil)),
        pupil=pupil,
        reason=reason,
        start_date=start,
        end_date=end,
        summary=summary,
        # The demo's SEND case is for anxiety the school is managing with the family.
        health_professional_should_agree=False if reason == Reason.SEND_OR_MENTAL_HEALTH else None,
    )


@transaction.atomic
def cases_demo_load(school: School) -> int:
    """Give five demo pupils a case each (once). Returns the number of cases created."""
    pupils = list(
        Pupil.objects.filter(school=school, on_roll=True)
        .select_related("school_class__site", "school")
        .order_by("school_class__name", "last_name", "first_name")
    )
    chosen = pupils[::12][:5]
    if len(chosen) < 5 or Case.objects.filter(pupil__in=chosen).exists():
        return 0
    waiting, active, overdue, returning, closed = chosen

    _open(
        waiting,
        Reason.SEND_OR_MENTAL_HEALTH,
        today(),
        10,
        "Anxiety about the new building; a short spell at home while the plan is agreed.",
    )
    first = waiting.cases.get()
    _agree_all(first, _teacher_of(waiting), today(), skip=(Party.PUPIL, Party.LOCAL_AUTHORITY))

    start = _back(school, 4)
    case = _open(active, Reason.INJURY, start, 15, "Broken leg; cannot manage the stairs yet.")
    teacher = _teacher_of(active)
    _agree_all(case, teacher, start)
    case_activate(actor=Actor.for_user(teacher), case=case)
    _provide(case, teacher, [_back(school, n) for n in (4, 3, 2, 1)])

    start = _back(school, 14)
    case = _open(overdue, Reason.INFECTIOUS_ILLNESS, start, 20, "Long recovery after illness.")
    teacher = _teacher_of(overdue)
    _agree_all(case, teacher, start)
    case_activate(actor=Actor.for_user(teacher), case=case)
    _provide(case, teacher, [_back(school, n) for n in (14, 13, 12)])

    start = _back(school, 12)
    case = _open(returning, Reason.OPERATION, start, 15, "Recovering from planned surgery.")
    teacher = _teacher_of(returning)
    _agree_all(case, teacher, start)
    case_activate(actor=Actor.for_user(teacher), case=case)
    _provide(case, teacher, [_back(school, n) for n in (12, 11, 10, 9)])
    reintegration_plan_save(
        actor=Actor.for_user(teacher),
        case=case,
        support="Lift pass, a quiet room for rests and a named adult at the gate.",
        flexibilities="Mornings only for the first week.",
    )
    review_record(
        actor=Actor.for_user(teacher),
        case=case,
        held_on=_back(school, 2),
        attendees="Class teacher, parent, SENCo",
        progress="Healing well; keen to see friends.",
        decision=Decision.REINTEGRATE,
    )
    reintegration_step_add(
        actor=Actor.for_user(teacher),
        case=case,
        description="Mornings in class",
        target_date=today(),
    )

    start = _back(school, 30)
    case = _open(closed, Reason.OPERATION, start, 20, "Hip operation and recovery.")
    teacher = _teacher_of(closed)
    _agree_all(case, teacher, start)
    case_activate(actor=Actor.for_user(teacher), case=case)
    _provide(case, teacher, [_back(school, n) for n in (30, 29, 28)])
    case_close(
        actor=Actor.for_user(teacher),
        case=case,
        outcome="Returned full time with a lift pass and a rest break each afternoon.",
        actual_return_date=_back(school, 15),
    )

    run_case_rules(today())
    return 5
