"""Who may see and work on remote-education cases.

Teachers and class staff work on their classes' cases; SLT and the headteacher oversee (and
may work on) theirs; the DSL team reads its site's. A case is reached through its pupil, so
every rule here stands on the pupil rules of schools.permissions.
"""

from django.db.models import QuerySet

from cases.models import Case, ReintegrationStep
from core.actor import Actor
from dataprotection.refusals import Access, refusal_record, refuse, refuse_unless
from schools.models import Pupil, School
from schools.permissions import (
    CASE_READ_ROLES,
    CASE_WORK_ROLES,
    LEADERSHIP_ROLES,
    memberships_of,
    pupil_access,
    pupils_visible_to,
)


def cases_visible_to(user: object) -> QuerySet[Case]:
    return Case.objects.filter(pupil__in=pupils_visible_to(user, roles=CASE_READ_ROLES))


def can_view_case(user: object, case: Case) -> bool:
    return bool(pupil_access(user, case.pupil).roles & CASE_READ_ROLES)


def can_work_on_case(user: object, case: Case) -> bool:
    return bool(pupil_access(user, case.pupil).roles & CASE_WORK_ROLES)


def can_open_case_for(user: object, pupil: Pupil) -> bool:
    return bool(pupil_access(user, pupil).roles & CASE_WORK_ROLES)


def pupils_for_new_cases(user: object) -> QuerySet[Pupil]:
    """On roll, in a class still in use (an archived class takes no new work)."""
    return pupils_visible_to(user, roles=CASE_WORK_ROLES).filter(
        on_roll=True, school_class__archived_at__isnull=True
    )


def can_list_cases(user: object) -> bool:
    return any(m.role in CASE_READ_ROLES for m in memberships_of(user))


def leadership_schools(user: object) -> list[School]:
    """Schools where this person is SLT or headteacher (closures, attendance export)."""
    seen: dict[int, School] = {}
    for membership in memberships_of(user):
        if membership.role in LEADERSHIP_ROLES:
            seen.setdefault(membership.school_id, membership.school)
    return list(seen.values())


def can_lead_cases(user: object) -> bool:
    return bool(leadership_schools(user))


def can_propose_cases(user: object) -> bool:
    """Whether this person works on cases anywhere; pupils_for_new_cases says for whom."""
    return any(m.role in CASE_WORK_ROLES for m in memberships_of(user))


# --- The gates: the one door a view uses to reach a case or a cases' page ---------------------

CASE_SUBJECT = Case._meta.label_lower
PUPIL_SUBJECT = Pupil._meta.label_lower


def access_case_list(actor: Actor) -> None:
    refuse_unless(can_list_cases(actor.user), actor, detail="no role that sees cases")


def access_case_proposal(actor: Actor) -> None:
    """The proposal form: 404 for people who never see cases, 403 for those who only read."""
    refuse_unless(can_list_cases(actor.user), actor, detail="no role that proposes cases")
    refuse_unless(
        can_propose_cases(actor.user),
        actor,
        detail="may read cases, not propose them",
        status=403,
    )


def access_case(actor: Actor, pk: int, *, to: Access = "read") -> Case:
    """The case (with what its page needs), or an audited refusal: 404 looking exactly like a
    case that does not exist; 403 to act for those who may only read it (the DSL team)."""
    # Imported here: the selectors read through the scopes defined in this module.
    from cases.selectors import case_for_page

    case = case_for_page(pk)
    if case is None or not can_view_case(actor.user, case):
        refuse(
            actor,
            detail="case not visible to this person",
            subject_type=CASE_SUBJECT,
            subject_id=pk,
            pupil_id=case.pupil_id if case is not None else None,
        )
    if to == "act" and not can_work_on_case(actor.user, case):
        refuse(
            actor,
            detail="may read this case but not work on it",
            status=403,
            subject=case,
            pupil_id=case.pupil_id,
        )
    return case


def access_case_step(actor: Actor, case: Case, step_pk: int) -> ReintegrationStep:
    """A step of the reintegration plan of ``case`` (already through ``access_case``)."""
    from cases.selectors import step_of_case

    step = step_of_case(case, step_pk)
    if step is None:
        refuse(
            actor,
            detail="step not part of this case",
            subject_type=ReintegrationStep._meta.label_lower,
            subject_id=step_pk,
            pupil_id=case.pupil_id,
        )
    return step


def chosen_pupil_for_proposal(actor: Actor, pupils: QuerySet[Pupil], raw: str) -> Pupil | None:
    """The pupil named by ``?pupil=<id>``, if among ``pupils`` (those this person may propose a
    case for). Otherwise the form opens without a pupil, and the attempt is audited."""
    pupil = pupils.filter(pk=int(raw)).first() if raw.isdigit() else None
    if raw and pupil is None:
        refusal_record(
            actor,
            subject_type=PUPIL_SUBJECT,
            subject_id=raw[:20] if raw.isdigit() else "",
            detail="pupil not available for a new case",
        )
    return pupil


def note_unavailable_proposal_pupil(actor: Actor) -> None:
    """A proposal posted for a pupil this person may not propose a case for: the form shows
    the mistake at its field, and the attempt is audited."""
    refusal_record(
        actor,
        subject_type=PUPIL_SUBJECT,
        detail="proposal for a pupil not available to this person",
    )
