"""Who reads and who changes a school's concern categories.

- The headteacher and the school's DSL change them, and administrators (recognised as for
  the settings area: ``is_staff``, holding no membership).
- SLT read them, whatever their membership's scope; changing is 403 for them.
- Everyone else: 404, as if the page did not exist.
- Turning "for the DSL team only" off shows that category's concerns to the headteacher, so
  only the DSL does that (``may_open_dsl_team_only``); the service refuses anyone else.

Each rule exists as a predicate and as the set of schools it covers; tests check both.
"""

from django.db.models import QuerySet

from core.actor import Actor
from dataprotection.refusals import Access, refuse
from safeguarding.models import ConcernCategory
from schools.models import Role, School
from schools.permissions import LEADERSHIP_ROLES, can_import_mis, school_ids_with_roles

CHANGE_ROLES = frozenset({Role.HEADTEACHER, Role.DSL})
READ_ROLES = LEADERSHIP_ROLES | CHANGE_ROLES
OPEN_DSL_ONLY_ROLES = frozenset({Role.DSL})

NOT_VISIBLE = "concern categories: school not visible to this person"
MAY_NOT_CHANGE = "concern categories: may not change them"
NOT_THIS_SCHOOLS = "concern categories: not a category of this school"


def _is_administrator(user: object) -> bool:
    return can_import_mis(user)


def schools_with_readable_categories(user: object) -> QuerySet[School]:
    if _is_administrator(user):
        return School.objects.order_by("name", "pk")
    return School.objects.filter(pk__in=school_ids_with_roles(user, READ_ROLES)).order_by(
        "name", "pk"
    )


def can_read_categories_of(user: object, school: School) -> bool:
    return _is_administrator(user) or school.pk in school_ids_with_roles(user, READ_ROLES)


def can_change_categories_of(user: object, school: School) -> bool:
    return _is_administrator(user) or school.pk in school_ids_with_roles(user, CHANGE_ROLES)


def can_read_some_categories(user: object) -> bool:
    """Whether this person reads some school's categories (the menu's entry)."""
    return _is_administrator(user) or bool(school_ids_with_roles(user, READ_ROLES))


def can_change_some_categories(user: object) -> bool:
    """Whether this person changes some school's categories (the checklist's link)."""
    return _is_administrator(user) or bool(school_ids_with_roles(user, CHANGE_ROLES))


def may_open_dsl_team_only(user: object, school: School) -> bool:
    return school.pk in school_ids_with_roles(user, OPEN_DSL_ONLY_ROLES)


def access_categories_area(actor: Actor) -> None:
    """The menu's entry: an audited 404 for someone who reads no school's categories."""
    if not can_read_some_categories(actor.user):
        refuse(actor, detail=NOT_VISIBLE)


def access_school_categories(actor: Actor, school_pk: int, *, to: Access = "read") -> School:
    """The school whose categories this person reads (or changes, ``to="act"``), or an
    audited 404 (not theirs to know) or 403 (SLT, who read but do not change)."""
    school = School.objects.filter(pk=school_pk).first()
    if school is None or not can_read_categories_of(actor.user, school):
        refuse(
            actor, detail=NOT_VISIBLE, subject_type=School._meta.label_lower, subject_id=school_pk
        )
    if to == "act" and not can_change_categories_of(actor.user, school):
        refuse(actor, detail=MAY_NOT_CHANGE, status=403, subject=school)
    return school


def access_category(actor: Actor, school_pk: int, pk: int) -> tuple[School, ConcernCategory]:
    """One of the school's categories, to change: the school's gate first, then a 404 for a
    category of another school or none."""
    school = access_school_categories(actor, school_pk, to="act")
    category = ConcernCategory.objects.filter(pk=pk, school=school).first()
    if category is None:
        refuse(
            actor,
            detail=NOT_THIS_SCHOOLS,
            subject_type=ConcernCategory._meta.label_lower,
            subject_id=pk,
        )
    return school, category
