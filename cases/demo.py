"""Demo remote-education cases for the demo school, so every teacher has pupils at home.

Over the last four school weeks: one class (Rowan) closed since the heating failed, and two or
three pupils of every other class on a case of their own, in the states a school meets: a
proposal still waiting for agreements, cases running (one past its review date, one past its
time limit), one returning to school and closed ones. Dates are counted in school days back
from the day the demo is loaded (the last school day on or before it), so the demo looks
current whenever it is loaded.

Every record is written through its service, so its checks and its audit row are real. The
services stamp the moment they run; the demo then dates each record to the day it stands for
(``backdate``), so a case is proposed before its agreements and a review is recorded on the
day it was held. The access audit keeps the moment of loading: it records when the rows were
written, and it is append-only.

A school that already has a case is left alone: loading twice changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from cases.models import (
    Agreement,
    AgreementMethod,
    Case,
    Closure,
    Decision,
    Party,
    Provision,
    Reason,
    Review,
    StatusChange,
)
from cases.services import (
    agreement_record,
    case_activate,
    case_close,
    case_propose,
    closure_open,
    provision_record,
    reintegration_plan_save,
    reintegration_step_add,
    required_parties,
    review_record,
)
from core.actor import Actor
from schools.calendar import add_school_days, today
from schools.models import Membership, Pupil, Role, School, SchoolDay

AGREED_BY = {
    Party.SCHOOL: "Class teacher, for the school",
    Party.CARERS: "Parent, by telephone",
    Party.PUPIL: "The pupil, with their teacher",
    Party.MEDICAL: "Consultant, Midshire Children's Hospital",
    Party.LOCAL_AUTHORITY: "SEND caseworker, Midshire County Council",
}

# The class closed as a whole: its heating failed and the block is not safe to open.
CLOSED_CLASS = "Rowan"
CLOSURE_STARTED = 3  # school days before the demo day
CLOSURE_SCHOOL_DAYS = 10


@dataclass(frozen=True, slots=True)
class DemoCase:
    """One pupil's case: the pupil is the ``index``-th of their class by name (or the first of
    the class with a social worker), the case started ``started`` school days before the demo
    day and runs ``school_days_long`` school days. ``contacts`` says how the contact log goes
    (contacts.demo reads it), ``state`` where the case has got to."""

    key: str
    school_class: str
    index: int
    reason: str
    started: int
    school_days_long: int
    summary: str
    state: str = "active"  # proposed, active, reviewed, reintegrating, closed
    contacts: str = "daily"  # daily, missed, silent, no_wellbeing, extra_calls, visited
    with_social_worker: bool = False


DEMO_CASES = (
    DemoCase("waiting", "Acorn", 0, Reason.SEND_OR_MENTAL_HEALTH, -1, 10,
             "Anxiety about the new building; a short spell at home while the plan is agreed.",
             state="proposed", contacts="none"),
    DemoCase("active", "Acorn", 2, Reason.INJURY, 4, 15,
             "Broken leg; cannot manage the stairs yet."),
    DemoCase("missed_acorn", "Acorn", 4, Reason.OPERATION, 8, 20,
             "Recovering from grommets surgery; home until the ear specialist is happy.",
             contacts="missed"),
    DemoCase("overdue", "Willow", 1, Reason.INFECTIOUS_ILLNESS, 14, 20,
             "Long recovery after illness."),
    DemoCase("silent", "Willow", 3, Reason.SEND_OR_MENTAL_HEALTH, 6, 15,
             "Not coping with the school day after a change of home; a short spell at home.",
             contacts="silent"),
    DemoCase("closed_willow", "Willow", 5, Reason.OPERATION, 19, 10,
             "Tonsillectomy and recovery.", state="closed"),
    DemoCase("returning", "Oak", 0, Reason.OPERATION, 12, 15,
             "Recovering from planned surgery.", state="reintegrating"),
    DemoCase("social_worker", "Oak", 0, Reason.INJURY, 13, 25,
             "Fractured wrist and shoulder after a fall; home while it heals.",
             state="reviewed", with_social_worker=True),
    DemoCase("oak_new", "Oak", 5, Reason.INFECTIOUS_ILLNESS, 2, 5,
             "Chickenpox: home until the spots have crusted over."),
    DemoCase("time_limit", "Birch", 1, Reason.INJURY, 16, 15,
             "Ankle in plaster; the fracture clinic has asked for more time.", state="reviewed"),
    DemoCase("extra_calls", "Birch", 3, Reason.SEND_OR_MENTAL_HEALTH, 5, 15,
             "Very low mood; CAMHS involved and the DSL team calling twice a day.",
             contacts="extra_calls"),
    DemoCase("birch_new", "Birch", 6, Reason.INFECTIOUS_ILLNESS, 1, 5,
             "Scarlet fever: home until the antibiotics have done their work."),
    DemoCase("no_wellbeing", "Hazel", 0, Reason.OPERATION, 9, 20,
             "Spinal surgery; learning from bed for now.", contacts="no_wellbeing"),
    DemoCase("hazel", "Hazel", 3, Reason.INJURY, 4, 15, "Broken collarbone at the weekend."),
    DemoCase("closed", "Hazel", 5, Reason.OPERATION, 20, 12,
             "Hip operation and recovery.", state="closed"),
    DemoCase("visited", "Cedar", 1, Reason.SEND_OR_MENTAL_HEALTH, 12, 20,
             "Not leaving the house since a bereavement; a short spell learning at home.",
             state="reviewed", contacts="visited"),
    DemoCase("cedar", "Cedar", 4, Reason.INFECTIOUS_ILLNESS, 3, 10,
             "Glandular fever: too tired for the school day."),
    DemoCase("missed_cedar", "Cedar", 6, Reason.INJURY, 7, 15,
             "Burn to the hand; dressings changed at the hospital each week.", contacts="missed"),
    DemoCase("maple", "Maple", 1, Reason.OPERATION, 5, 15,
             "Recovering from a gastrostomy tube change; home while the site heals."),
    DemoCase("maple_waiting", "Maple", 3, Reason.INFECTIOUS_ILLNESS, -2, 5,
             "Shingles: home until the blisters have scabbed over.", state="proposed",
             contacts="none"),
)  # fmt: skip
DEMO_CASE_KEYS = tuple(case.key for case in DEMO_CASES)


def _teacher_of(pupil: Pupil) -> object:
    membership = (
        Membership.objects.filter(school_class=pupil.school_class, role=Role.TEACHER)
        .select_related("user")
        .first()
    )
    return membership.user


def demo_day(school: School) -> datetime.date:
    """The day the demo counts back from: today, or the last school day before it."""
    last = (
        SchoolDay.objects.filter(school=school, date__lte=today())
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return last or today()


def school_days_back(school: School, days: int, *, anchor: datetime.date | None = None):
    """The school day ``days`` school days before the demo day (after it when negative)."""
    anchor = anchor or demo_day(school)
    return add_school_days(school, anchor, -days) or anchor - datetime.timedelta(days=days)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """That time of ``day`` in Europe/London, never later than now."""
    moment = datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )
    return min(moment, timezone.now() - datetime.timedelta(minutes=1))


def backdate(queryset: models.QuerySet, **values: object) -> int:
    """Date demo rows to the day they stand for (see the module's docstring)."""
    return queryset.update(**values)


def _pupils_by_class(school: School) -> dict[str, list[Pupil]]:
    pupils: dict[str, list[Pupil]] = {}
    for pupil in (
        Pupil.objects.filter(school=school)
        .select_related("school_class__site", "school")
        .order_by("school_class__name", "last_name", "first_name", "pk")
    ):
        pupils.setdefault(pupil.school_class.name, []).append(pupil)
    return pupils


def demo_case_pupils(school: School) -> dict[str, Pupil]:
    """Each demo case's pupil, by the case's key: the same pupils every load. A case that
    needs a pupil with a social worker takes the first of its class (or else of the school,
    outside the closed class) not already chosen."""
    by_class = _pupils_by_class(school)
    chosen: dict[str, Pupil] = {}
    for plan in DEMO_CASES:
        if not plan.with_social_worker:
            pupils = by_class.get(plan.school_class, [])
            chosen[plan.key] = pupils[plan.index % len(pupils)]
    for plan in DEMO_CASES:
        if plan.with_social_worker:
            taken = {pupil.pk for pupil in chosen.values()}
            candidates = [
                pupil
                for name in (plan.school_class, *sorted(by_class))
                if name != CLOSED_CLASS
                for pupil in by_class[name]
                if pupil.pk not in taken
            ]
            chosen[plan.key] = next(
                (pupil for pupil in candidates if pupil.has_social_worker), candidates[0]
            )
    return {plan.key: chosen[plan.key] for plan in DEMO_CASES}


def demo_cases(school: School) -> dict[str, Case]:
    """Each demo case by its key (its pupil's latest case)."""
    pupils = demo_case_pupils(school)
    latest = {}
    for case in Case.objects.filter(pupil__in=pupils.values()).order_by("created_at", "pk"):
        latest[case.pupil_id] = case
    return {key: latest[pupil.pk] for key, pupil in pupils.items() if pupil.pk in latest}


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
        provision_record(
            actor=Actor.for_user(by),
            case=case,
            date=day,
            sent_by_email=True,
            sent_to_platform=True,
            visual_timetable_sent=True,
            feedback="Managed most of the activities; liked the sensory story.",
        )
    for provision in Provision.objects.filter(case=case, date__in=days):
        backdate(Provision.objects.filter(pk=provision.pk), recorded_at=at(provision.date, 15, 40))


def _school_days(school: School, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return list(
        SchoolDay.objects.filter(school=school, date__range=(first, last))
        .order_by("date")
        .values_list("date", flat=True)
    )


def _case(school: School, plan: DemoCase, pupil: Pupil, day: datetime.date) -> Case:
    """One pupil's case, taken to where its plan says, each step dated to its day."""
    teacher = _teacher_of(pupil)
    actor = Actor.for_user(teacher)
    back = lambda n: school_days_back(school, n, anchor=day)  # noqa: E731
    start = back(plan.started)
    proposed_on = back(max(plan.started, 0) + 1) if plan.state != "proposed" else back(3)
    end = add_school_days(school, start, plan.school_days_long) or start + datetime.timedelta(28)
    case = case_propose(
        actor=actor,
        pupil=pupil,
        reason=plan.reason,
        start_date=start,
        end_date=end,
        summary=plan.summary,
        # The demo's SEND cases are managed with the family and the pupil's own clinicians.
        health_professional_should_agree=False
        if plan.reason == Reason.SEND_OR_MENTAL_HEALTH
        else None,
    )
    backdate(
        Case.objects.filter(pk=case.pk), proposed_on=proposed_on, created_at=at(proposed_on, 9)
    )
    if plan.state == "proposed":
        _agree_all(case, teacher, proposed_on, skip=(Party.PUPIL, Party.LOCAL_AUTHORITY))
    else:
        _agree_all(case, teacher, proposed_on)
    backdate(Agreement.objects.filter(case=case), recorded_at=at(proposed_on, 11))
    backdate(StatusChange.objects.filter(case=case), changed_at=at(proposed_on, 9))
    if plan.state == "proposed":
        return case

    case_activate(actor=actor, case=case)
    backdate(
        StatusChange.objects.filter(case=case, to_status="active"), changed_at=at(proposed_on, 14)
    )
    returned = min(end, back(max(plan.started - 12, 1)))
    until = returned if plan.state == "closed" else min(end, back(1))
    _provide(case, teacher, _school_days(school, start, until)[-6:])

    if plan.state in ("reviewed", "reintegrating", "closed") and plan.started > 10:
        held_on = add_school_days(school, start, 10) or back(1)
        held_on = min(held_on, back(1))
        if plan.state == "reviewed":
            review_record(
                actor=actor,
                case=case,
                held_on=held_on,
                attendees="Class teacher, parent, SENCo",
                progress="Settled into the routine at home; work is coming back most days.",
                decision=Decision.CONTINUE,
                next_review_date=add_school_days(school, held_on, 10),
            )
            backdate(Review.objects.filter(case=case), recorded_at=at(held_on, 16))
    if plan.state == "reintegrating":
        reintegration_plan_save(
            actor=actor,
            case=case,
            support="Lift pass, a quiet room for rests and a named adult at the gate.",
            flexibilities="Mornings only for the first week.",
        )
        held_on = back(2)
        review_record(
            actor=actor,
            case=case,
            held_on=held_on,
            attendees="Class teacher, parent, SENCo",
            progress="Healing well; keen to see friends.",
            decision=Decision.REINTEGRATE,
        )
        backdate(Review.objects.filter(case=case), recorded_at=at(held_on, 16))
        backdate(
            StatusChange.objects.filter(case=case, to_status="reintegrating"),
            changed_at=at(held_on, 16),
        )
        reintegration_step_add(
            actor=actor, case=case, description="Mornings in class", target_date=day
        )
    if plan.state == "closed":
        case_close(
            actor=actor,
            case=case,
            outcome="Returned full time with a lift pass and a rest break each afternoon.",
            actual_return_date=returned,
        )
        backdate(Case.objects.filter(pk=case.pk), closed_at=at(returned, 16))
        backdate(
            StatusChange.objects.filter(case=case, to_status="closed"), changed_at=at(returned, 16)
        )
    return case


def _closure(school: School, day: datetime.date) -> Closure | None:
    pupils = Pupil.objects.filter(school=school, school_class__name=CLOSED_CLASS, on_roll=True)
    head = Membership.objects.filter(school=school, role=Role.HEADTEACHER).select_related("user")
    head = head.first()
    if head is None or not pupils.exists():
        return None
    school_class = pupils.first().school_class
    start = school_days_back(school, CLOSURE_STARTED, anchor=day)
    end = add_school_days(school, start, CLOSURE_SCHOOL_DAYS) or start + datetime.timedelta(14)
    closure = closure_open(
        actor=Actor.for_user(head.user),
        school=school,
        reason=Reason.NOT_SAFE_TO_OPEN,
        start_date=start,
        end_date=end,
        school_class=school_class,
    )
    opened = school_days_back(school, CLOSURE_STARTED + 1, anchor=day)
    backdate(Closure.objects.filter(pk=closure.pk), created_at=at(opened, 15, 30))
    backdate(
        Case.objects.filter(closure=closure), proposed_on=opened, created_at=at(opened, 15, 30)
    )
    backdate(StatusChange.objects.filter(case__closure=closure), changed_at=at(opened, 15, 30))
    return closure


@transaction.atomic
def cases_demo_load(school: School) -> int:
    """Give the demo pupils their cases and close one class (once). Returns the number of
    cases created."""
    if Case.objects.filter(pupil__school=school).exists():
        return 0
    day = demo_day(school)
    _closure(school, day)
    pupils = demo_case_pupils(school)
    for plan in DEMO_CASES:
        _case(school, plan, pupils[plan.key], day)
    return Case.objects.filter(pupil__school=school).count()
