"""Who may read the access audit, and which part of it.

The Data Protection Officer and the headteacher read the access log of the school(s) where they
hold that role (policy section 5). Anyone else is told the page does not exist (404).

The log of a school is every event about one of its pupils, and every event with no pupil
(a list, a search, a refusal) by someone who holds a membership there. Events by people who
have left every school and named no pupil are kept, but show in no school's log.
"""

from django.db.models import Q, QuerySet

from accounts.models import User
from core.actor import Actor
from dataprotection.models import AccessEvent
from dataprotection.refusals import refuse_unless
from schools.models import Membership, Pupil
from schools.permissions import (  # noqa: F401  (re-exported: the page's gate)
    ACCESS_LOG_ROLES,
    access_log_school_ids,
    can_view_access_log,
)


def access_events_visible_to(user: object) -> QuerySet[AccessEvent]:
    """The access events this person may read: one SQL statement, whatever their roles."""
    school_ids = access_log_school_ids(user)
    if not school_ids:
        return AccessEvent.objects.none()
    pupils = Pupil.objects.filter(school_id__in=school_ids).values("pk")
    staff = Membership.objects.filter(school_id__in=school_ids).values("user_id")
    return AccessEvent.objects.filter(
        Q(pupil_id__in=pupils) | Q(pupil_id__isnull=True, user_id__in=staff)
    )


def access_log_pupils_for(user: object) -> QuerySet[Pupil]:
    """Pupils to filter the log by: everyone on or off roll at the person's schools. The DPO
    sees their names here and in the log, and nothing more of them."""
    return Pupil.objects.filter(school_id__in=access_log_school_ids(user)).order_by(
        "last_name", "first_name", "id"
    )


def access_log_staff_for(user: object) -> QuerySet[User]:
    """People to filter the log by: everyone holding a membership at the person's schools."""
    return (
        User.objects.filter(memberships__school_id__in=access_log_school_ids(user))
        .distinct()
        .order_by("full_name", "email", "id")
    )


def access_access_log(actor: Actor) -> None:
    """The log's page: the DPO and the headteacher; an audited 404 for everyone else."""
    refuse_unless(can_view_access_log(actor.user), actor, detail="access log")
