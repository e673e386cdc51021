"""The doors of the virtual session pages (policy Appendix 1).

The rules themselves (who plans, runs and reads a session) are in safeguarding.permissions;
these gates load what a page needs and refuse, audited, when the rule says no: 404 for those
who may not know a session exists, 403 for those who read it but may not run it.
"""

from typing import NoReturn

from django.db.models import QuerySet

from core.actor import Actor
from dataprotection.refusals import Access, refuse
from safeguarding.models import VirtualSession
from safeguarding.permissions import (
    SESSION_ROLES,
    can_oversee_sessions,
    can_plan_sessions,
    can_read_session,
    can_run_session,
    sessions_visible_to,
)
from schools.models import Pupil, School
from schools.permissions import CLASS_ROLES, memberships_of, pupil_access

SESSION_SUBJECT = VirtualSession._meta.label_lower
PUPIL_SUBJECT = Pupil._meta.label_lower


def _refuse_page(actor: Actor, detail: str) -> NoReturn:
    refuse(actor, subject_type=SESSION_SUBJECT, detail=detail)


def access_session_list(actor: Actor) -> QuerySet[VirtualSession]:
    """The teacher's list, for anyone who plans sessions: those they run."""
    if not can_plan_sessions(actor.user):
        _refuse_page(actor, "list")
    return sessions_visible_to(actor.user, roles=CLASS_ROLES)


def access_session_gaps(actor: Actor) -> None:
    """Sessions with checklist gaps: for SLT, the headteacher and the DSL team."""
    if not can_oversee_sessions(actor.user):
        _refuse_page(actor, "gaps")


def access_session_planning(actor: Actor) -> School:
    """The school a session is planned at: that of the person's first class membership."""
    for membership in memberships_of(actor.user):
        if membership.role in CLASS_ROLES and membership.school_class_id:
            return membership.school
    _refuse_page(actor, "plan")


def access_session(actor: Actor, pk: int, *, to: Access = "read") -> VirtualSession:
    """The session with all its page shows, for those who read it ("read") or run it ("act")."""
    session = (
        VirtualSession.objects.select_related("school", "planned_by", "stopped_by")
        .prefetch_related(
            "pupils__school_class__site",
            "staff",
            "checklist",
            "attendance__pupil__session_agreements__term",
        )
        .filter(pk=pk)
        .first()
    )
    if session is None or not can_read_session(actor.user, session):
        refuse(actor, subject_type=SESSION_SUBJECT, subject_id=pk, detail="session not visible")
    if to == "act" and not can_run_session(actor.user, session):
        refuse(actor, status=403, subject=session, detail="may read, may not run")
    return session


def access_session_agreement(actor: Actor, pupil_pk: int, *, to: Access = "read") -> Pupil:
    """The pupil whose family's agreement to sessions is read ("read") or recorded ("act")."""
    pupil = Pupil.objects.select_related("school_class__site").filter(pk=pupil_pk).first()
    roles = pupil_access(actor.user, pupil).roles if pupil else frozenset()
    if not roles & SESSION_ROLES:
        refuse(actor, subject_type=PUPIL_SUBJECT, subject_id=pupil_pk, detail="session agreement")
    if to == "act" and not roles & CLASS_ROLES:
        refuse(
            actor,
            status=403,
            subject=pupil,
            pupil_id=pupil.pk,
            detail="session agreement: may read, may not record",
        )
    return pupil
