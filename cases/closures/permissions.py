"""Who may close a site or a class, complete its class overview, record today's provision and
export the attendance register (policy sections 2 and 3.2).

Each rule is a predicate over the person's memberships and, where a page lists things, the
matching queryset scope; tests check that the two agree.

- Closing: the headteacher and school-wide SLT close any site or class of their school;
  SLT narrowed to a site close that site or any of its classes; SLT narrowed to a class close
  that class only.
- Class overview: the class's teachers and class staff, SLT over the class and the
  headteacher complete it; the DSL team of the class's site reads it; nobody else knows it.
- Provision today: everyone who works on cases (teachers, class staff, SLT, headteacher), for
  the pupils they work with.
- Attendance export: SLT and the headteacher, for the pupils they lead.
"""

import datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from cases.models import Case, Closure
from cases.permissions import CASE_SUBJECT, can_view_case, can_work_on_case
from core.actor import Actor
from dataprotection.refusals import Access, refuse, refuse_unless
from schools.models import Membership, Pupil, Role, SchoolClass, Site
from schools.permissions import (
    CASE_READ_ROLES,
    CASE_WORK_ROLES,
    CLASS_ROLES,
    LEADERSHIP_ROLES,
    NARROWABLE_ROLES,
    memberships_of,
    pupils_visible_to,
)

if TYPE_CHECKING:
    from cases.closures.selectors import ProvisionRow

# --- Closing a site or a class ---------------------------------------------------------------


def _leads_school(membership: Membership) -> bool:
    """A headteacher, or SLT not narrowed to a site or class."""
    if membership.role == Role.HEADTEACHER:
        return True
    return (
        membership.role == Role.SLT
        and membership.site_id is None
        and membership.school_class_id is None
    )


def _may_close(membership: Membership, site: Site | None, school_class: SchoolClass | None):
    if membership.role not in LEADERSHIP_ROLES:
        return False
    if school_class is not None:
        if membership.school_id != school_class.site.school_id:
            return False
        if _leads_school(membership):
            return True
        return membership.school_class_id == school_class.pk or (
            membership.site_id is not None and membership.site_id == school_class.site_id
        )
    if site is not None:
        if membership.school_id != site.school_id:
            return False
        return _leads_school(membership) or (
            membership.site_id == site.pk and membership.school_class_id is None
        )
    return False


def can_close(
    user: object, site: Site | None = None, school_class: SchoolClass | None = None
) -> bool:
    """Whether this person may close this site, or this class (give exactly one)."""
    if (site is None) == (school_class is None):
        return False
    return any(_may_close(m, site, school_class) for m in memberships_of(user))


def can_open_closures(user: object) -> bool:
    """Whether the 'close a site or class' page exists for this person."""
    return any(m.role in LEADERSHIP_ROLES for m in memberships_of(user))


def closable_sites(user: object) -> QuerySet[Site]:
    """The sites this person may close: the scope that agrees with ``can_close``."""
    grants = Q()
    found = False
    for m in memberships_of(user):
        if m.role not in LEADERSHIP_ROLES:
            continue
        if _leads_school(m):
            grants |= Q(school_id=m.school_id)
            found = True
        elif m.site_id is not None:
            grants |= Q(pk=m.site_id)
            found = True
    if not found:
        return Site.objects.none()
    return Site.objects.filter(grants).order_by("name", "id")


def closable_classes(user: object) -> QuerySet[SchoolClass]:
    """The classes this person may close: the scope that agrees with ``can_close``."""
    grants = Q()
    found = False
    for m in memberships_of(user):
        if m.role not in LEADERSHIP_ROLES:
            continue
        if _leads_school(m):
            grants |= Q(site__school_id=m.school_id)
        elif m.school_class_id is not None:
            grants |= Q(pk=m.school_class_id)
        elif m.site_id is not None:
            grants |= Q(site_id=m.site_id)
        else:
            continue
        found = True
    if not found:
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(grants).select_related("site").order_by("site__name", "name")


# --- The class overview of a closure ---------------------------------------------------------


def _covers_class(membership: Membership, school_class: SchoolClass) -> bool:
    if membership.school_id != school_class.site.school_id:
        return False
    role = membership.role
    if role in CLASS_ROLES:
        return membership.school_class_id == school_class.pk
    if role == Role.HEADTEACHER:
        return True
    if role in NARROWABLE_ROLES:
        if membership.school_class_id is not None:
            return membership.school_class_id == school_class.pk
        if membership.site_id is not None:
            return membership.site_id == school_class.site_id
        return True
    return False


def class_roles(user: object, school_class: SchoolClass) -> frozenset[str]:
    """The roles through which this person works with the whole of this class."""
    return frozenset(m.role for m in memberships_of(user) if _covers_class(m, school_class))


def can_view_class_overview(user: object, school_class: SchoolClass) -> bool:
    return bool(class_roles(user, school_class) & CASE_READ_ROLES)


def can_edit_class_overview(user: object, school_class: SchoolClass) -> bool:
    return bool(class_roles(user, school_class) & CASE_WORK_ROLES)


def in_some_closure() -> Q:
    """Cases a closure opened, and pupils' own cases that joined a closure."""
    return Q(closure__isnull=False) | Q(
        pk__in=Closure.joined_cases.through.objects.values("case_id")
    )


def closure_cases_visible_to(user: object) -> QuerySet[Case]:
    """Closure cases whose class overview this person may read (the scope of the list), with
    the pupils' own cases that joined a closure."""
    return Case.objects.filter(
        in_some_closure(), pupil__in=pupils_visible_to(user, roles=CASE_READ_ROLES)
    )


def can_list_closures(user: object) -> bool:
    return any(m.role in CASE_READ_ROLES for m in memberships_of(user))


def closure_covers_class(closure: Closure, school_class: SchoolClass) -> bool:
    if closure.school_class_id is not None:
        return closure.school_class_id == school_class.pk
    return closure.site_id == school_class.site_id


# --- Provision today -------------------------------------------------------------------------


def can_record_provision(user: object) -> bool:
    """Whether the 'provision today' checklist exists for this person."""
    return any(
        m.role in CASE_WORK_ROLES and (m.role not in CLASS_ROLES or m.school_class_id)
        for m in memberships_of(user)
    )


def provision_pupils_for(user: object) -> QuerySet[Pupil]:
    return pupils_visible_to(user, roles=CASE_WORK_ROLES)


# --- Attendance export -----------------------------------------------------------------------


def can_export_attendance(user: object) -> bool:
    return any(m.role in LEADERSHIP_ROLES for m in memberships_of(user))


def attendance_pupils_for(user: object) -> QuerySet[Pupil]:
    """The pupils whose remote-education attendance this person may export: those they lead."""
    return pupils_visible_to(user, roles=LEADERSHIP_ROLES)


def attendance_sites_for(user: object) -> QuerySet[Site]:
    """Sites to narrow the export to: every site where the person leads some class."""
    grants = Q()
    found = False
    for m in memberships_of(user):
        if m.role not in LEADERSHIP_ROLES:
            continue
        if _leads_school(m):
            grants |= Q(school_id=m.school_id)
        elif m.site_id is not None:
            grants |= Q(pk=m.site_id)
        elif m.school_class_id is not None:
            grants |= Q(classes__pk=m.school_class_id)
        else:
            continue
        found = True
    if not found:
        return Site.objects.none()
    return Site.objects.filter(grants).distinct().order_by("name", "id")


# --- The gates: the one door a view uses to reach a closure page or a closure case ------------
# The selectors are imported inside the gates: they read through the scopes defined above.


def access_closure_list(actor: Actor) -> None:
    refuse_unless(can_list_closures(actor.user), actor, detail="closures: no role that reads cases")


def access_closure_new(actor: Actor) -> None:
    """The 'close a site or class' page: SLT and the headteacher (else 404)."""
    refuse_unless(can_open_closures(actor.user), actor, detail="closure: not SLT or headteacher")


def access_closing(actor: Actor, *, site: Site | None, school_class: SchoolClass | None) -> None:
    """Closing this site or this class: 403 for a leader who does not lead it."""
    refuse_unless(
        can_close(actor.user, site=site, school_class=school_class),
        actor,
        detail="closure: does not lead this site or class",
        status=403,
    )


def access_closure_overview(actor: Actor, pk: int, class_pk: int) -> tuple[Closure, SchoolClass]:
    """The closure and one of its classes, for someone who reads that class's overview."""
    from cases.closures.selectors import closure_for_overview, school_class_for_overview

    closure = closure_for_overview(pk)
    school_class = school_class_for_overview(class_pk)
    if (
        closure is None
        or school_class is None
        or not closure_covers_class(closure, school_class)
        or not can_view_class_overview(actor.user, school_class)
    ):
        refuse(
            actor,
            detail=f"class overview: class {class_pk} not visible to this person",
            subject_type=Closure._meta.label_lower,
            subject_id=pk,
        )
    return closure, school_class


def _refuse_case(
    actor: Actor, pk: int, case: Case | None, what: str, to: Access, verb: str
) -> None:
    """404 unless the person sees the case; 403 to act unless they work on it."""
    if case is None or not can_view_case(actor.user, case):
        refuse(
            actor,
            detail=f"{what}: case not visible to this person",
            subject_type=CASE_SUBJECT,
            subject_id=pk,
            pupil_id=case.pupil_id if case is not None else None,
        )
    if to == "act" and not can_work_on_case(actor.user, case):
        refuse(
            actor,
            detail=f"{what}: may read but not {verb}",
            status=403,
            subject=case,
            pupil_id=case.pupil_id,
        )


def access_closure_case(
    actor: Actor, pk: int, *, to: Access = "read", what: str = "class overview"
) -> Case:
    """A closure case (with what its gates and services need); ``what`` names the row of the
    overview being worked on, in the refusal."""
    from cases.closures.selectors import case_for_closure_work

    case = case_for_closure_work(pk)
    _refuse_case(actor, pk, case, what, to, "change")
    return case


def access_provision_today(actor: Actor) -> None:
    refuse_unless(
        can_record_provision(actor.user),
        actor,
        detail="provision today: no role that works on cases",
    )


def access_provision_row(
    actor: Actor, pk: int, day: datetime.date, *, to: Access = "read"
) -> "ProvisionRow":
    """One case's row of the provision checklist for ``day``; to act is to record it."""
    from cases.closures.selectors import provision_row

    row = provision_row(pk, day)
    _refuse_case(actor, pk, row.case if row is not None else None, "provision", to, "record")
    return row


def access_attendance_export(actor: Actor) -> None:
    refuse_unless(
        can_export_attendance(actor.user),
        actor,
        detail="attendance export: not SLT or headteacher",
    )
