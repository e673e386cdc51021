"""Writes for staff absences, cover and the who-to-contact directory (policy sections 3.1
and 4). Keyword-only, atomic, validated with full_clean(), audited in the same transaction."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from cases.models import Case
from contacts.cover.permissions import COVER_ROLES, STAFF_ROLES, can_lead_cover_at
from contacts.models import CoverAssignment, DirectoryEntry, StaffAbsence
from contacts.services import CONTACTABLE_STATUSES
from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from schools.models import Membership, School, Site
from schools.permissions import CLASS_ROLES

User = get_user_model()


def _name(user: object) -> str:
    return getattr(user, "full_name", "") or getattr(user, "email", "") or "This person"


# --- Absences --------------------------------------------------------------------------------


def absence_cases(absence: StaffAbsence) -> QuerySet[Case]:
    """The cases whose contacts fall to the absent person: active cases of pupils in the
    classes they teach or work in at the school, started by the absence's last day."""
    classes = Membership.objects.filter(
        user_id=absence.staff_id,
        school_id=absence.school_id,
        role__in=CLASS_ROLES,
        school_class__isnull=False,
    ).values("school_class_id")
    return Case.objects.filter(
        status__in=CONTACTABLE_STATUSES,
        pupil__school_id=absence.school_id,
        pupil__school_class_id__in=classes,
        start_date__lte=absence.last_day,
    )


@transaction.atomic
def absence_report(
    *,
    actor: Actor,
    staff: object,
    school: School,
    first_day: datetime.date,
    last_day: datetime.date,
    reason: str,
) -> StaffAbsence:
    """Record that ``staff`` cannot work from ``first_day`` to ``last_day`` (both included).

    A person reports their own absence; SLT and the headteacher report for their staff.
    """
    if staff.pk != actor.user.pk and not can_lead_cover_at(actor.user, school.pk):
        raise ValidationError({"staff": "You may report only your own absence."})
    # One report at a time per person, so two overlapping reports cannot both pass the check.
    staff = User.objects.select_for_update().get(pk=staff.pk)
    if not Membership.objects.filter(user=staff, school=school, role__in=STAFF_ROLES).exists():
        raise ValidationError({"staff": f"{_name(staff)} is not on the staff of {school}."})
    if first_day and last_day and last_day < first_day:
        raise ValidationError({"last_day": "The last day cannot be before the first."})
    overlapping = (
        StaffAbsence.objects.filter(staff=staff, first_day__lte=last_day, last_day__gte=first_day)
        .order_by("first_day")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "first_day": f"{_name(staff)} is already reported absent from "
                f"{overlapping.first_day:%d/%m/%Y} to {overlapping.last_day:%d/%m/%Y}, which "
                "overlaps these dates."
            }
        )
    absence = StaffAbsence(
        staff=staff,
        school=school,
        first_day=first_day,
        last_day=last_day,
        reason=reason,
        reported_by=actor.user,
    )
    absence.full_clean()
    absence.save()
    access_record(
        action=AccessAction.CREATE,
        actor=actor,
        subject=absence,
        detail="staff absence reported",
    )
    return absence


# --- Cover -----------------------------------------------------------------------------------


def _check_cover_person(absence: StaffAbsence, covered_by: object) -> None:
    if covered_by.pk == absence.staff_id:
        raise ValidationError(
            {"covered_by": f"{_name(covered_by)} is the one who is away: choose someone else."}
        )
    works_here = Membership.objects.filter(
        user=covered_by, school_id=absence.school_id, role__in=COVER_ROLES
    ).exists()
    if not works_here:
        raise ValidationError(
            {
                "covered_by": f"{_name(covered_by)} does not teach or lead at this school: "
                "choose a member of its staff."
            }
        )
    away = StaffAbsence.objects.filter(
        staff=covered_by, first_day__lte=absence.last_day, last_day__gte=absence.first_day
    ).exists()
    if away:
        raise ValidationError(
            {"covered_by": f"{_name(covered_by)} is also away during these dates."}
        )


def _assign(*, actor: Actor, absence: StaffAbsence, case: Case, covered_by: object) -> tuple:
    cover = CoverAssignment.objects.filter(case=case, absence=absence).first()
    created = cover is None
    if created:
        cover = CoverAssignment(case=case, absence=absence)
    cover.covered_by = covered_by
    cover.assigned_by = actor.user
    cover.full_clean(validate_unique=created)
    cover.save()
    return cover, created


@transaction.atomic
def cover_assign(
    *,
    actor: Actor,
    absence: StaffAbsence,
    case: Case,
    covered_by: object,
) -> CoverAssignment:
    """Give one of the absent person's cases to ``covered_by`` for the absence (or change who
    has it)."""
    absence = StaffAbsence.objects.select_for_update().get(pk=absence.pk)
    _check_cover_person(absence, covered_by)
    if not absence_cases(absence).filter(pk=case.pk).exists():
        raise ValidationError("This case is not one the absent person's cover includes.")
    cover, created = _assign(actor=actor, absence=absence, case=case, covered_by=covered_by)
    access_record(
        action=AccessAction.CREATE if created else AccessAction.CHANGE,
        actor=actor,
        subject=cover,
        pupil_id=case.pupil_id,
        detail=f"cover for absence {absence.pk}",
    )
    return cover


@transaction.atomic
def cover_assign_all(
    *,
    actor: Actor,
    absence: StaffAbsence,
    cases: list[Case],
    covered_by: object,
) -> int:
    """Give every one of ``cases`` (the absent person's, as the caller may work on them) to
    ``covered_by``. Returns how many were assigned."""
    absence = StaffAbsence.objects.select_for_update().get(pk=absence.pk)
    _check_cover_person(absence, covered_by)
    allowed = set(absence_cases(absence).values_list("pk", flat=True))
    if any(case.pk not in allowed for case in cases):
        raise ValidationError("A case in this list is not one the absent person's cover includes.")
    covers = [
        _assign(actor=actor, absence=absence, case=case, covered_by=covered_by)[0] for case in cases
    ]
    access_record_many(
        action=AccessAction.CHANGE,
        actor=actor,
        subjects=[(cover, cover.case.pupil_id) for cover in covers],
        detail=f"cover for absence {absence.pk}: all to one person",
    )
    return len(covers)


# --- The directory ---------------------------------------------------------------------------

ENTRY_FIELDS = ("concern", "name", "role", "phone", "email", "notes", "external", "position")


def _entry_check(entry: DirectoryEntry) -> None:
    if entry.site_id is not None and entry.site.school_id != entry.school_id:
        raise ValidationError({"site": "This site belongs to another school."})
    if not entry.phone and not entry.email:
        raise ValidationError({"phone": "Give a phone number or an email address (or both)."})
    entry.full_clean()


def _entry_values(values: dict) -> dict:
    cleaned = {}
    for field in ENTRY_FIELDS:
        if field in values:
            value = values[field]
            cleaned[field] = value.strip() if isinstance(value, str) else value
    return cleaned


@transaction.atomic
def directory_entry_add(
    *,
    actor: Actor,
    school: School,
    site: Site | None = None,
    **values: object,
) -> DirectoryEntry:
    entry = DirectoryEntry(school=school, site=site, **_entry_values(values))
    _entry_check(entry)
    entry.save()
    access_record(
        action=AccessAction.CREATE,
        actor=actor,
        subject=entry,
        detail="directory entry added",
    )
    return entry


@transaction.atomic
def directory_entry_update(
    *,
    actor: Actor,
    entry: DirectoryEntry,
    site: Site | None = None,
    **values: object,
) -> DirectoryEntry:
    entry = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
    entry.site = site
    for field, value in _entry_values(values).items():
        setattr(entry, field, value)
    _entry_check(entry)
    entry.save()
    access_record(
        action=AccessAction.CHANGE,
        actor=actor,
        subject=entry,
        detail="directory entry changed",
    )
    return entry


@transaction.atomic
def directory_entry_remove(*, actor: Actor, entry: DirectoryEntry) -> None:
    access_record(
        action=AccessAction.CHANGE,
        actor=actor,
        subject=entry,
        detail="directory entry removed",
    )
    entry.delete()
