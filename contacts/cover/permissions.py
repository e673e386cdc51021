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

from cases.models import Case
from cases.permissions import CASE_SUBJECT, can_view_case, can_work_on_case
from contacts.models import DirectoryEntry, StaffAbsence
from core.actor import Actor
from dataprotection.refusals import Access, refuse, refuse_unless
from schools.models import School
from schools.permissions import CASE_WORK_ROLES, LEADERSHIP_ROLES, STAFF_ROLES, memberships_of

# Who reports their own absence, and who may be given another teacher's cases while they are
# away: everyone who works on cases (named here for what they are used for).
ABSENCE_ROLES = CASE_WORK_ROLES
COVER_ROLES = CASE_WORK_ROLES


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


# --- The gates: the one door a view uses to reach an absence, its cover or the directory ------


def access_absence_report(actor: Actor) -> None:
    refuse_unless(
        can_report_absence(actor.user),
        actor,
        detail="absence report: no teaching or leadership role",
    )


def access_absence_list(actor: Actor) -> None:
    refuse_unless(can_lead_cover(actor.user), actor, detail="absence list: not SLT or headteacher")


def access_cover_list(actor: Actor) -> None:
    refuse_unless(can_lead_cover(actor.user), actor, detail="cover list: not SLT or headteacher")


def _absence(pk: int) -> StaffAbsence | None:
    return StaffAbsence.objects.select_related("staff", "school").filter(pk=pk).first()


def access_absence(actor: Actor, pk: int, *, to: Access = "act") -> StaffAbsence:
    """An absence, known to the absent person and the school's leaders (else 404); to act is
    to arrange its cover (403 for the absent person)."""
    absence = _absence(pk)
    if absence is None or not can_view_absence(actor.user, absence):
        refuse(
            actor,
            detail="cover: absence not visible to this person",
            subject_type=StaffAbsence._meta.label_lower,
            subject_id=pk,
        )
    if to == "act" and not can_arrange_cover(actor.user, absence):
        refuse(actor, detail="cover: may not arrange cover", status=403, subject=absence)
    return absence


def access_absence_case(actor: Actor, absence_pk: int, case_pk: int) -> tuple[StaffAbsence, Case]:
    """One of an absence's cases, to give to a colleague: 404 unless the person sees both (and
    the case is the absence's to cover), 403 unless they arrange the cover and work on the case.
    """
    # Imported here: the services read through the roles named in this module.
    from contacts.cover.services import absence_cases

    user = actor.user
    absence = _absence(absence_pk)
    case = Case.objects.select_related("pupil__school_class__site").filter(pk=case_pk).first()
    if (
        absence is None
        or not can_view_absence(user, absence)
        or case is None
        or not can_view_case(user, case)
    ):
        refuse(
            actor,
            detail="cover: absence or case not visible to this person",
            subject_type=CASE_SUBJECT,
            subject_id=case_pk,
            pupil_id=case.pupil_id if case is not None else None,
        )
    if not can_arrange_cover(user, absence) or not can_work_on_case(user, case):
        refuse(
            actor,
            detail="cover: may not arrange cover",
            status=403,
            subject=case,
            pupil_id=case.pupil_id,
        )
    if not absence_cases(absence).filter(pk=case.pk).exists():
        refuse(
            actor,
            detail="cover: case not in this absence's cover",
            subject=case,
            pupil_id=case.pupil_id,
        )
    return absence, case


def access_directory(actor: Actor, *, to: Access = "read", what: str = "directory") -> None:
    """The directory (every member of staff; else 404), or keeping it (SLT and the
    headteacher; 403 for other staff). ``what`` names the page in the refusal."""
    refuse_unless(
        can_view_directory(actor.user), actor, detail=f"{what}: not on the staff of a school"
    )
    if to == "act":
        refuse_unless(
            can_edit_directory(actor.user),
            actor,
            detail=f"{what}: not SLT or headteacher",
            status=403,
        )


def access_directory_entry(
    actor: Actor, pk: int, *, to: Access = "act", what: str = "directory entry edit"
) -> DirectoryEntry:
    """One entry: 404 unless on the staff of its school; to act is to change or remove it
    (403 unless SLT or headteacher there). ``what`` names the page in the refusal."""
    entry = DirectoryEntry.objects.select_related("school", "site").filter(pk=pk).first()
    if entry is None or not can_view_entry(actor.user, entry):
        refuse(
            actor,
            detail=f"{what}: entry not visible to this person",
            subject_type=DirectoryEntry._meta.label_lower,
            subject_id=pk,
        )
    if to == "act" and not can_edit_entry(actor.user, entry):
        refuse(actor, detail=f"{what}: not SLT or headteacher", status=403, subject=entry)
    return entry
