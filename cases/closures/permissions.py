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

from django.db.models import Q, QuerySet

from cases.models import Case, Closure
from cases.permissions import (
    CASE_READ_ROLES,
    CASE_WORK_ROLES,
    LEADERSHIP_ROLES,
)
from schools.models import Membership, Pupil, Role, SchoolClass, Site
from schools.permissions import (
    CLASS_ROLES,
    NARROWABLE_ROLES,
    memberships_of,
    pupils_visible_to,
)

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


def closure_cases_visible_to(user: object) -> QuerySet[Case]:
    """Closure cases whose class overview this person may read (the scope of the list)."""
    return Case.objects.filter(
        closure__isnull=False, pupil__in=pupils_visible_to(user, roles=CASE_READ_ROLES)
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
