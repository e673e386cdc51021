"""Permission matrix rows for the case pages, and the small helpers that give each row a case.

Teachers and class staff of the pupil's class, the SLT member overseeing it and the
headteacher work on the case; the DSL of the pupil's site reads it (403 on every action);
everyone else is told it does not exist.
"""

import datetime

from cases.models import (
    OPEN_STATUSES,
    AttendanceCode,
    Basis,
    Case,
    Reason,
    ReintegrationPlan,
    ReintegrationStep,
    Status,
)
from schools.calendar import today
from tests.matrix import SEES_THE_PUPIL, Rule
from tests.world import World

WORKS_ON_THE_CASE = frozenset({"teacher", "class_staff", "slt_class", "headteacher"})
READS_THE_CASE = frozenset({"dsl"})
LISTS_CASES = frozenset(
    {
        "teacher",
        "class_staff",
        "other_teacher",
        "slt_class",
        "slt_other_site",
        "headteacher",
        "dsl",
        "deputy_dsl_other_site",
        "other_school_head",
    }
)
READS_CASES_ONLY = frozenset({"dsl", "deputy_dsl_other_site"})


def open_case_for(world: World, pupil=None) -> Case:
    """The pupil's open case, or a new active one (a closed case makes way for a new one)."""
    pupil = pupil or world.pupil
    case = Case.objects.filter(pupil=pupil, status__in=OPEN_STATUSES).first()
    if case is None:
        start = today() - datetime.timedelta(days=7)
        case = Case.objects.create(
            pupil=pupil,
            basis=Basis.INDIVIDUAL,
            reason=Reason.INJURY,
            status=Status.ACTIVE,
            start_date=start,
            end_date=today() + datetime.timedelta(days=14),
            next_review_date=today() + datetime.timedelta(days=7),
            attendance_code=AttendanceCode.I,
            proposed_on=start,
            created_by=world.users["headteacher"],
        )
    return case


def step_for(world: World) -> tuple[Case, ReintegrationStep]:
    """An open case with a reintegration plan and one step."""
    case = open_case_for(world)
    plan, _ = ReintegrationPlan.objects.get_or_create(
        case=case,
        defaults={"support": "Mornings in class first.", "updated_by": world.users["teacher"]},
    )
    step = plan.steps.first() or ReintegrationStep.objects.create(
        plan=plan, description="Mornings in class", target_date=today()
    )
    return case, step


def _case_action(*, data=lambda world: {}, allowed_status: int = 200, args=None) -> Rule:
    """A POST on one case. Allowed people get past the gate: an empty form comes back with its
    errors (200), a complete one redirects (302); the DSL gets 403; everyone else 404."""
    return Rule(
        allowed=WORKS_ON_THE_CASE,
        forbidden=READS_THE_CASE,
        method="post",
        args=args or (lambda world: [open_case_for(world).pk]),
        data=data,
        allowed_status=allowed_status,
    )


ROWS: dict[str, Rule] = {
    # The pupil's record loads this section: anyone who sees the pupil gets it (empty when
    # their role has no cases), everyone else is told the pupil does not exist.
    "cases:pupil_cases": Rule(allowed=SEES_THE_PUPIL, args=lambda world: [world.pupil.pk]),
    "cases:case_list": Rule(allowed=LISTS_CASES),
    "cases:case_propose": Rule(allowed=LISTS_CASES - READS_CASES_ONLY, forbidden=READS_CASES_ONLY),
    "cases:case_detail": Rule(
        allowed=WORKS_ON_THE_CASE | READS_THE_CASE, args=lambda world: [open_case_for(world).pk]
    ),
    "cases:agreement_add": _case_action(),
    # The helper's case is already active, so starting it is refused at the form.
    "cases:case_activate": _case_action(),
    # Likewise withdrawing: the helper's case has started, so it is refused at the form.
    "cases:case_withdraw": _case_action(),
    "cases:provision_add": _case_action(),
    "cases:review_add": _case_action(),
    "cases:reintegration_save": _case_action(
        data=lambda world: {
            "plan-support": "A quiet room and a part-time timetable.",
            "plan-why": "Agreed with the family.",
        },
        allowed_status=302,
    ),
    "cases:reintegration_step_add": _case_action(
        args=lambda world: [step_for(world)[0].pk],
        data=lambda world: {
            "step-description": "Afternoons in class",
            "step-target_date": today().isoformat(),
        },
        allowed_status=302,
    ),
    "cases:reintegration_step_done": _case_action(
        args=lambda world: [obj.pk for obj in step_for(world)],
        data=lambda world: {f"step{step_for(world)[1].pk}-done_on": today().isoformat()},
        allowed_status=302,
    ),
    # Each allowed person closes a case; the next one gets a fresh case from the helper.
    "cases:case_close": _case_action(
        data=lambda world: {
            "close-outcome": "Back in class full time.",
            "close-actual_return_date": today().isoformat(),
        },
        allowed_status=302,
    ),
}
