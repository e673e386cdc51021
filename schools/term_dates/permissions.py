"""Who keeps the school calendar (terms, INSET and closure days): the headteacher and
administrators configure it; SLT read it; everyone else is told it does not exist.

Administrators are recognised as for the MIS import (``can_import_mis``): staff accounts of
the service, with no membership needed, for every school.
"""

from django.db.models import QuerySet

from core.actor import Actor
from dataprotection.refusals import Access, refuse, refuse_unless
from schools.models import ClosureDay, Role, School, Term
from schools.permissions import can_import_mis, school_ids_with_roles

CONFIGURE_ROLES = frozenset({Role.HEADTEACHER})
READ_ROLES = CONFIGURE_ROLES | {Role.SLT}

NOT_THEIRS = "school calendar not kept or read by this person"
READ_ONLY = "may read the school calendar, not change it"


def calendar_school_ids(user: object, to: Access = "read") -> set[int] | None:
    """The schools whose calendar this person may read (or change); None means every school."""
    if can_import_mis(user):
        return None
    return school_ids_with_roles(user, CONFIGURE_ROLES if to == "act" else READ_ROLES)


def calendar_schools_for(user: object, to: Access = "read") -> QuerySet[School]:
    ids = calendar_school_ids(user, to)
    schools = School.objects.order_by("name")
    return schools if ids is None else schools.filter(pk__in=ids)


def can_keep_calendar(user: object, school_id: int, to: Access = "read") -> bool:
    ids = calendar_school_ids(user, to)
    return ids is None or school_id in ids


def can_see_calendars(user: object) -> bool:
    ids = calendar_school_ids(user)
    return ids is None or bool(ids)


def access_calendar_list(actor: Actor) -> None:
    refuse_unless(can_see_calendars(actor.user), actor, detail=NOT_THEIRS)


def _refuse_or_allow(actor: Actor, record: object, school_id: int | None, to: Access, **subject):
    if record is None or not can_keep_calendar(actor.user, school_id):
        refuse(actor, detail=NOT_THEIRS, **subject)
    if to == "act" and not can_keep_calendar(actor.user, school_id, "act"):
        refuse(actor, detail=READ_ONLY, status=403, **subject)
    return record


def access_calendar(actor: Actor, school_pk: int, *, to: Access = "read") -> School:
    """The school whose calendar is asked for: 404 for those who may not know it, 403 for SLT
    who read it but try to change it."""
    school = School.objects.filter(pk=school_pk).first()
    subject = {"subject_type": School._meta.label_lower, "subject_id": school_pk}
    return _refuse_or_allow(actor, school, school_pk, to, **subject)


def access_term(actor: Actor, pk: int, *, to: Access = "read") -> Term:
    term = Term.objects.select_related("school").filter(pk=pk).first()
    subject = {"subject_type": Term._meta.label_lower, "subject_id": pk}
    return _refuse_or_allow(actor, term, term.school_id if term else None, to, **subject)


def access_closure_day(actor: Actor, pk: int, *, to: Access = "read") -> ClosureDay:
    closure = ClosureDay.objects.select_related("school").filter(pk=pk).first()
    subject = {"subject_type": ClosureDay._meta.label_lower, "subject_id": pk}
    return _refuse_or_allow(actor, closure, closure.school_id if closure else None, to, **subject)
