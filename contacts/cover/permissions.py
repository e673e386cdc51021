"""Who may report staff absences, arrange cover and read or keep the who-to-contact directory
(policy sections 3.1 and 4).

- Reporting an absence: anyone who makes contact with families (teachers, class staff, SLT,
  the headteacher) reports their own; SLT and the headteacher may report for any member of
  staff at their school.
- The cover list and the absence list: SLT and the headteacher of the school. They reassign
  only the cases they may themselves work on (cases.permissions), so an SLT member narrowed to
  one site never sees another site's pupils on it.
- The directory: every member of staff at the school (any role except governor and chair of
  governors). Governors are not staff: the directory lists whom staff turn to, and governors
  hold no pupil or staff duties here, so for them it does not exist (404). SLT and the
  headteacher keep it; other staff who try to change it are refused (403).
"""

from cases.permissions import CASE_WORK_ROLES, LEADERSHIP_ROLES
from contacts.models import DirectoryEntry, StaffAbsence
from schools.models import Role, School
from schools.permissions import memberships_of

ABSENCE_ROLES = CASE_WORK_ROLES
# Who may be given another teacher's cases while they are away.
COVER_ROLES = CASE_WORK_ROLES
STAFF_ROLES = frozenset(set(Role) - {Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS})


def _schools_where(user: object, roles: frozenset[str]) -> dict[int, School]:
    seen: dict[int, School] = {}
    for membership in memberships_of(user):
        if membership.role in roles:
            seen.setdefault(membership.school_id, membership.school)
    return seen


# --- Absences and cover ----------------------------------------------------------------------


def can_report_absence(user: object) -> bool:
    return bool(_schools_where(user, ABSENCE_ROLES))


def absence_schools(user: object) -> list[School]:
    """The schools where this person reports their own absence."""
    return list(_schools_where(user, ABSENCE_ROLES).values())


def leadership_schools(user: object) -> list[School]:
    return list(_schools_where(user, LEADERSHIP_ROLES).values())


def can_lead_cover(user: object) -> bool:
    """SLT and the headteacher: the cover list, the absence list, reporting for others."""
    return bool(_schools_where(user, LEADERSHIP_ROLES))


def can_lead_cover_at(user: object, school_id: int) -> bool:
    return school_id in _schools_where(user, LEADERSHIP_ROLES)


def can_view_absence(user: object, absence: StaffAbsence) -> bool:
    """The absent person and the school's leaders know about an absence."""
    return absence.staff_id == getattr(user, "pk", None) or can_lead_cover_at(
        user, absence.school_id
    )


def can_arrange_cover(user: object, absence: StaffAbsence) -> bool:
    return can_lead_cover_at(user, absence.school_id)


# --- The directory ---------------------------------------------------------------------------


def directory_schools(user: object) -> list[School]:
    return list(_schools_where(user, STAFF_ROLES).values())


def can_view_directory(user: object) -> bool:
    return bool(_schools_where(user, STAFF_ROLES))


def can_view_directory_of(user: object, school_id: int) -> bool:
    return school_id in _schools_where(user, STAFF_ROLES)


def directory_edit_schools(user: object) -> list[School]:
    return leadership_schools(user)


def can_edit_directory(user: object) -> bool:
    return can_lead_cover(user)


def can_edit_directory_of(user: object, school_id: int) -> bool:
    return can_lead_cover_at(user, school_id)


def can_view_entry(user: object, entry: DirectoryEntry) -> bool:
    return can_view_directory_of(user, entry.school_id)


def can_edit_entry(user: object, entry: DirectoryEntry) -> bool:
    return can_edit_directory_of(user, entry.school_id)
