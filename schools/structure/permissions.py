"""Who sets up a school: the school itself, its sites, pathways and classes.

- The school's headteacher and administrators configure.
- The school's SLT read (403 when they try to change anything).
- Everyone else is told nothing is here (404); only administrators create schools.
"""

from django.db import models
from django.db.models import QuerySet

from core.actor import Actor
from dataprotection.refusals import Access, refuse, refuse_unless
from schools.models import Pathway, Role, School, SchoolClass, Site
from schools.permissions import is_administrator, school_ids_with_roles

CONFIGURE_ROLES = frozenset({Role.HEADTEACHER})
READ_ROLES = CONFIGURE_ROLES | {Role.SLT}

NOT_IN_SETUP = "school setup: not headteacher, SLT or administrator"
MAY_NOT_CONFIGURE = "school setup: may read, not change"


def can_read_structure(user: object) -> bool:
    return is_administrator(user) or bool(school_ids_with_roles(user, READ_ROLES))


def can_read_structure_of(user: object, school_id: int) -> bool:
    return is_administrator(user) or school_id in school_ids_with_roles(user, READ_ROLES)


def can_configure_structure_of(user: object, school_id: int) -> bool:
    return is_administrator(user) or school_id in school_ids_with_roles(user, CONFIGURE_ROLES)


def schools_readable_by(user: object) -> QuerySet[School]:
    """The scope that agrees with ``can_read_structure_of``."""
    if is_administrator(user):
        return School.objects.all()
    return School.objects.filter(pk__in=school_ids_with_roles(user, READ_ROLES))


def _school_id_of(record: models.Model) -> int:
    if isinstance(record, School):
        return record.pk
    if isinstance(record, SchoolClass):
        return record.site.school_id
    return record.school_id


# --- The gates ------------------------------------------------------------------------------


def access_structure(actor: Actor) -> None:
    """The structure overview: administrators, and the headteacher and SLT of a school."""
    refuse_unless(can_read_structure(actor.user), actor, detail=NOT_IN_SETUP)


def access_school_new(actor: Actor) -> None:
    """Creating a school: administrators only; nobody else may know the page exists."""
    refuse_unless(is_administrator(actor.user), actor, detail="new school: not an administrator")


def _access[Record: models.Model](
    actor: Actor, queryset: QuerySet[Record], pk: int, to: Access
) -> Record:
    record = queryset.filter(pk=pk).first()
    if record is None or not can_read_structure_of(actor.user, _school_id_of(record)):
        refuse(
            actor, detail=NOT_IN_SETUP, subject_type=queryset.model._meta.label_lower, subject_id=pk
        )
    if to == "act" and not can_configure_structure_of(actor.user, _school_id_of(record)):
        refuse(actor, detail=MAY_NOT_CONFIGURE, status=403, subject=record)
    return record


def access_school(actor: Actor, pk: int, *, to: Access = "read") -> School:
    return _access(actor, School.objects.all(), pk, to)


def access_site(actor: Actor, pk: int, *, to: Access = "read") -> Site:
    return _access(actor, Site.objects.select_related("school"), pk, to)


def access_pathway(actor: Actor, pk: int, *, to: Access = "read") -> Pathway:
    return _access(actor, Pathway.objects.select_related("school"), pk, to)


def access_school_class(actor: Actor, pk: int, *, to: Access = "read") -> SchoolClass:
    return _access(actor, SchoolClass.objects.select_related("site__school", "pathway"), pk, to)
