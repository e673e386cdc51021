"""Who may see and act on safeguarding records.

Concerns and everything under them are for the DSL team of the pupil's site (DSL and deputy
DSLs, or a school-wide DSL) and the headteacher. The member of staff who raised a concern sees
that it was received and its status, never the DSL team's working. Teachers, SLT, IT,
governors and the DPO see nothing of a concern's content.
"""

from django.db.models import Q, QuerySet

from accounts.models import User
from safeguarding.models import Concern, SessionChecklistEntry, VirtualSession
from schools.models import Membership, Pupil, Role
from schools.permissions import (
    CLASS_ROLES,
    can_view_pupil,
    memberships_of,
    pupil_access,
    pupils_visible_to,
)

SAFEGUARDING_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER})
DSL_TEAM_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL})


def concerns_visible_to(user: object) -> QuerySet[Concern]:
    """Concerns whose content this person may read: one SQL statement."""
    return Concern.objects.filter(pupil__in=pupils_visible_to(user, roles=SAFEGUARDING_ROLES))


def can_triage_concern(user: object, concern: Concern) -> bool:
    return bool(pupil_access(user, concern.pupil).roles & SAFEGUARDING_ROLES)


def can_see_receipt(user: object, concern: Concern) -> bool:
    """The reporter sees that their concern arrived and its status (not its handling)."""
    return concern.raised_by_id == getattr(user, "pk", None) or can_triage_concern(user, concern)


def can_raise_concern_for(user: object, pupil: Pupil) -> bool:
    """Any member of staff who can see the pupil can raise a concern about them."""
    return can_view_pupil(user, pupil)


def can_use_dashboard(user: object) -> bool:
    return any(m.role in SAFEGUARDING_ROLES for m in memberships_of(user))


def dsl_team_for(pupil: Pupil) -> QuerySet[User]:
    """The DSL and deputies who cover the pupil's site (or the whole school)."""
    covering = Membership.objects.filter(role__in=DSL_TEAM_ROLES, school_id=pupil.school_id).filter(
        Q(site_id=pupil.school_class.site_id) | Q(site__isnull=True, school_class__isnull=True)
    )
    return User.objects.filter(is_active=True, memberships__in=covering).distinct()


def headteachers_for(pupil: Pupil) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__role=Role.HEADTEACHER,
        memberships__school_id=pupil.school_id,
    ).distinct()


# --- Virtual sessions (Appendix 1) ------------------------------------------------------------
# The teachers and class staff of the invited pupils' classes plan and run a session; SLT, the
# headteacher and the DSL team of the pupils' site read it; nobody else may know it exists.

SESSION_READ_ROLES = frozenset({Role.SLT, Role.HEADTEACHER, Role.DSL, Role.DEPUTY_DSL})
SESSION_ROLES = CLASS_ROLES | SESSION_READ_ROLES


def _roles_over(user: object, session: VirtualSession) -> frozenset[str]:
    """The person's roles over any of the session's pupils: one query (the pupils with their
    classes), whatever the number of pupils; memberships are cached for the request."""
    roles: set[str] = set()
    for pupil in session.pupils.select_related("school_class"):
        roles |= pupil_access(user, pupil).roles
    return frozenset(roles)


def can_plan_sessions(user: object) -> bool:
    return any(m.role in CLASS_ROLES and m.school_class_id for m in memberships_of(user))


def can_run_session(user: object, session: VirtualSession) -> bool:
    return bool(_roles_over(user, session) & CLASS_ROLES)


def can_read_session(user: object, session: VirtualSession) -> bool:
    return bool(_roles_over(user, session) & SESSION_ROLES)


def can_invite(user: object, pupil: Pupil) -> bool:
    return bool(pupil_access(user, pupil).roles & CLASS_ROLES)


def can_oversee_sessions(user: object) -> bool:
    return any(m.role in SESSION_READ_ROLES for m in memberships_of(user))


def invitable_pupils(user: object) -> QuerySet[Pupil]:
    return pupils_visible_to(user, roles=CLASS_ROLES).filter(on_roll=True)


def sessions_visible_to(user: object, *, roles: frozenset[str] = SESSION_ROLES):
    """Sessions with a pupil this person sees through a session role: one SQL statement."""
    return VirtualSession.objects.filter(
        pk__in=VirtualSession.objects.filter(
            pupils__in=pupils_visible_to(user, roles=roles)
        ).values("pk")
    )


def sessions_with_gaps(user: object):
    """Sessions whose checklist shows an item not done, for SLT and the DSL team."""
    return sessions_visible_to(user, roles=SESSION_READ_ROLES).filter(
        pk__in=SessionChecklistEntry.objects.filter(done=False).values("session_id")
    )
