"""Who reads and who changes a school's settings.

- The headteacher and administrators change them (administrators are recognised as for the
  MIS import: ``is_staff``; they hold no membership and may set any school up).
- SLT read them, at any school where they hold an SLT membership, whatever its scope: the
  settings are the school's, not a site's. Changing is 403 for them.
- Everyone else: 404, as if the page did not exist.

Each rule exists as a predicate and as the set of schools it covers; tests check both.
"""

from django.db.models import QuerySet

from core.actor import Actor
from dataprotection.refusals import Access, refuse, refuse_unless
from schools.models import Role, School
from schools.permissions import LEADERSHIP_ROLES, can_import_mis, school_ids_with_roles

CHANGE_ROLES = frozenset({Role.HEADTEACHER})
READ_ROLES = LEADERSHIP_ROLES

NOT_A_READER = "school settings: not SLT, headteacher or administrator"
NOT_VISIBLE = "school settings: school not visible to this person"
MAY_NOT_CHANGE = "school settings: may not change settings"


def _is_administrator(user: object) -> bool:
    return can_import_mis(user)


def schools_with_readable_settings(user: object) -> QuerySet[School]:
    if _is_administrator(user):
        return School.objects.order_by("name", "pk")
    ids = school_ids_with_roles(user, READ_ROLES)
    return School.objects.filter(pk__in=ids).order_by("name", "pk")


def can_read_school_settings(user: object) -> bool:
    """Whether the settings area exists for this person at all (the menu entry)."""
    return _is_administrator(user) or bool(school_ids_with_roles(user, READ_ROLES))


def can_read_settings_of(user: object, school: School) -> bool:
    return _is_administrator(user) or school.pk in school_ids_with_roles(user, READ_ROLES)


def can_change_settings_of(user: object, school: School) -> bool:
    return _is_administrator(user) or school.pk in school_ids_with_roles(user, CHANGE_ROLES)


def access_settings_area(actor: Actor) -> None:
    refuse_unless(can_read_school_settings(actor.user), actor, detail=NOT_A_READER)


def access_school_settings(actor: Actor, school_pk: int, *, to: Access = "read") -> School:
    """The school whose settings this person reads (or changes, ``to="act"``), or an audited
    404 (not theirs to know) or 403 (SLT, who read but do not change)."""
    school = School.objects.filter(pk=school_pk).first()
    if school is None or not can_read_settings_of(actor.user, school):
        refuse(
            actor, detail=NOT_VISIBLE, subject_type=School._meta.label_lower, subject_id=school_pk
        )
    if to == "act" and not can_change_settings_of(actor.user, school):
        refuse(actor, detail=MAY_NOT_CHANGE, status=403, subject=school)
    return school
