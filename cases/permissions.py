"""Who may see and work on remote-education cases.

Teachers and class staff work on their classes' cases; SLT and the headteacher oversee (and
may work on) theirs; the DSL team reads its site's. A case is reached through its pupil, so
every rule here stands on the pupil rules of schools.permissions.
"""

from django.db.models import QuerySet

from cases.models import Case
from schools.models import Pupil, Role, School
from schools.permissions import memberships_of, pupil_access, pupils_visible_to

CASE_WORK_ROLES = frozenset({Role.TEACHER, Role.CLASS_STAFF, Role.SLT, Role.HEADTEACHER})
CASE_READ_ROLES = CASE_WORK_ROLES | {Role.DSL, Role.DEPUTY_DSL}
# Whole-site and whole-class closures, and the attendance export, are leadership decisions.
LEADERSHIP_ROLES = frozenset({Role.SLT, Role.HEADTEACHER})


def cases_visible_to(user: object) -> QuerySet[Case]:
    return Case.objects.filter(pupil__in=pupils_visible_to(user, roles=CASE_READ_ROLES))


def can_view_case(user: object, case: Case) -> bool:
    return bool(pupil_access(user, case.pupil).roles & CASE_READ_ROLES)


def can_work_on_case(user: object, case: Case) -> bool:
    return bool(pupil_access(user, case.pupil).roles & CASE_WORK_ROLES)


def can_open_case_for(user: object, pupil: Pupil) -> bool:
    return bool(pupil_access(user, pupil).roles & CASE_WORK_ROLES)


def pupils_for_new_cases(user: object) -> QuerySet[Pupil]:
    return pupils_visible_to(user, roles=CASE_WORK_ROLES).filter(on_roll=True)


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
