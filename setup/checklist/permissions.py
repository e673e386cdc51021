"""Who may read a school's setup checklist, and who is shown the links that fix it.

The headteacher and administrators configure the school, so they are offered the fixes; SLT
read the checklist of their school (the list itself changes nothing). Administrators, who
hold no membership, read every school's. Anyone else is told the page does not exist (404).
"""

from django.db.models import QuerySet

from core.actor import Actor
from dataprotection.refusals import refuse
from schools.models import Role, School
from schools.permissions import LEADERSHIP_ROLES, can_import_mis, school_ids_with_roles

CONFIGURE_ROLES = frozenset({Role.HEADTEACHER})
READ_ROLES = LEADERSHIP_ROLES

CHECKLIST_SUBJECT = "setup.checklist"


def is_administrator(user: object) -> bool:
    """Administrators are recognised as the MIS import recognises them (``is_staff``)."""
    return can_import_mis(user)


def can_configure_setup(user: object) -> bool:
    """The headteacher of any school, and administrators: who is offered the checklist."""
    return is_administrator(user) or bool(school_ids_with_roles(user, CONFIGURE_ROLES))


def can_configure_school(user: object, school: School) -> bool:
    return is_administrator(user) or school.pk in school_ids_with_roles(user, CONFIGURE_ROLES)


def checklist_schools_for(user: object) -> QuerySet[School]:
    """The schools whose checklist this person reads, by name."""
    schools = School.objects.order_by("name", "pk")
    if is_administrator(user):
        return schools
    return schools.filter(pk__in=school_ids_with_roles(user, READ_ROLES))


def access_checklist(actor: Actor, wanted: str | None) -> School | None:
    """The school asked for (``wanted``: its id from ``?school=``, default the first one the
    person reads), or an audited 404. ``None`` only for an administrator when no school has
    been created yet, so the checklist can say that is the first thing to do."""
    user = actor.user
    if not is_administrator(user) and not school_ids_with_roles(user, READ_ROLES):
        refuse(actor, detail="setup checklist", subject_type=CHECKLIST_SUBJECT)
    schools = checklist_schools_for(user)
    if wanted is None:
        return schools.first()
    school = schools.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    if school is None:
        refuse(actor, detail="school not visible", subject_type=CHECKLIST_SUBJECT)
    return school
