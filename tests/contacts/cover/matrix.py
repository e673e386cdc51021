"""Permission matrix rows for staff absences, cover and the who-to-contact directory.

Who may do what, and why (contacts/permissions_cover.py):
- Reporting an absence: everyone who works on cases (teachers, class staff, SLT, the
  headteacher) reports their own; other roles have no contacts to cover (404).
- The absence list and the cover list: SLT and the headteacher (other_school_head leads a
  school too and gets the page, with nothing of Heathergate's in it).
- Assigning cover for world.teacher's absence, for world.pupil's case: those who lead the
  school and work on the case (slt_class, headteacher). The absent teacher sees both the
  absence and the case but may not reassign (403). slt_other_site leads the school but may
  not see class A's pupil (404 for the one case; "assign all" assigns nothing and redirects).
- The directory: every member of staff at a school; governors, the chair, people with no
  membership and administrators without one are not staff (404). SLT and the headteacher keep
  it; other staff who try are refused (403).
"""

import datetime

from contacts.models import AbsenceReason, Concern, DirectoryEntry, StaffAbsence
from schools.calendar import today
from tests.cases.matrix import open_case_for
from tests.matrix import EVERYONE, Rule
from tests.world import World

LEADERS = frozenset({"headteacher", "slt_class", "slt_other_site", "other_school_head"})
WORKS_ON_CASES = LEADERS | {"teacher", "class_staff", "other_teacher"}
NOT_STAFF = frozenset({"governor", "chair", "no_role", "administrator"})
STAFF = EVERYONE - NOT_STAFF
HEATHERGATE_LEADERS = LEADERS - {"other_school_head"}
HEATHERGATE_STAFF = STAFF - {"other_school_head"}


def world_absence(world: World) -> StaffAbsence:
    """world.teacher away from today for a week, once per world."""
    absence = getattr(world, "teacher_absence", None)
    if absence is None:
        absence = StaffAbsence.objects.create(
            staff=world.users["teacher"],
            school=world.school,
            first_day=today(),
            last_day=today() + datetime.timedelta(days=6),
            reason=AbsenceReason.SICKNESS,
            reported_by=world.users["teacher"],
        )
        world.teacher_absence = absence
    return absence


def world_entry(world: World) -> DirectoryEntry:
    """A directory entry at Heathergate (made again when a persona has removed it)."""
    entry, _ = DirectoryEntry.objects.get_or_create(
        school=world.school,
        concern=Concern.IT,
        site=None,
        name="IT helpdesk",
        defaults={"phone": "01632 960230"},
    )
    return entry


def _cover_args(world: World) -> list[int]:
    return [world_absence(world).pk, open_case_for(world).pk]


def _covered_by(world: World) -> dict:
    return {"covered_by": world.users["class_staff"].pk}


ENTRY_DATA = {
    "concern": Concern.IT,
    "name": "IT helpdesk",
    "role": "Logins and devices",
    "phone": "01632 960231",
    "email": "",
    "notes": "",
    "position": "0",
}

ROWS: dict[str, Rule] = {
    "contacts:absence_report": Rule(allowed=WORKS_ON_CASES),
    "contacts:absence_list": Rule(allowed=LEADERS),
    "contacts:cover_list": Rule(allowed=LEADERS),
    "contacts:cover_assign": Rule(
        allowed=frozenset({"slt_class", "headteacher"}),
        forbidden=frozenset({"teacher"}),
        method="post",
        args=_cover_args,
        data=_covered_by,
        allowed_status=302,
    ),
    "contacts:cover_assign_all": Rule(
        allowed=HEATHERGATE_LEADERS,
        forbidden=frozenset({"teacher"}),
        method="post",
        args=lambda world: [world_absence(world).pk],
        data=_covered_by,
        allowed_status=302,
    ),
    "contacts:directory": Rule(allowed=STAFF),
    "contacts:directory_edit": Rule(allowed=LEADERS, forbidden=STAFF - LEADERS),
    "contacts:directory_entry_edit": Rule(
        allowed=HEATHERGATE_LEADERS,
        forbidden=HEATHERGATE_STAFF - HEATHERGATE_LEADERS,
        args=lambda world: [world_entry(world).pk],
    ),
    "contacts:directory_entry_remove": Rule(
        allowed=HEATHERGATE_LEADERS,
        forbidden=HEATHERGATE_STAFF - HEATHERGATE_LEADERS,
        method="post",
        args=lambda world: [world_entry(world).pk],
        allowed_status=302,
    ),
}
