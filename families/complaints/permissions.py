"""Who reads the complaints log and responds to a complaint (policy section 3.6).

- A complaint goes to senior leaders: SLT (of the whole school, or of the child's site or
  class when they are narrowed to one) and the headteacher.
- A worry about a child's safety goes to the safeguarding team: the DSL and deputies (of the
  whole school, or of the child's site) and the headteacher. SLT who are not on that team
  never see it, in the list or by its id: it may name a child.
- A complaint not about a child is for those of the whole school.

Everyone who reads a complaint may respond to it; no one else knows it exists (404). The
predicate and the queryset scope are built from the same membership rule
(schools.permissions.scoped_record_grant and scoped_record_covered).
"""

from django.db.models import Q, QuerySet

from core.actor import Actor
from dataprotection.refusals import refuse, refuse_unless
from families.models import Complaint
from schools.models import Membership, Role
from schools.permissions import (
    DSL_ROLES,
    memberships_of,
    scoped_record_covered,
    scoped_record_grant,
)

# Who a complaint is for: leadership for complaints, the safeguarding team for safety.
COMPLAINT_ROLES = frozenset({Role.SLT, Role.HEADTEACHER})
SAFETY_WORRY_ROLES = DSL_ROLES | {Role.HEADTEACHER}
COMPLAINTS_LOG_ROLES = COMPLAINT_ROLES | SAFETY_WORRY_ROLES
COMPLAINT_HIDDEN = "complaint not visible to this person"
LOG_HIDDEN = "complaints log not available to this person"


def _kinds(membership: Membership) -> Q | None:
    """Which complaints the role reads: None for a role that reads none."""
    if membership.role == Role.HEADTEACHER:
        return Q()
    if membership.role in COMPLAINT_ROLES:
        return Q(about_safety=False)
    if membership.role in DSL_ROLES:
        return Q(about_safety=True)
    return None


def membership_reads_complaint(membership: Membership, complaint: Complaint) -> bool:
    if membership.role == Role.HEADTEACHER:
        return membership.school_id == complaint.school_id
    if membership.role in COMPLAINT_ROLES and complaint.about_safety:
        return False
    if membership.role in DSL_ROLES and not complaint.about_safety:
        return False
    if membership.role not in COMPLAINTS_LOG_ROLES:
        return False
    return scoped_record_covered(membership, complaint)


def can_use_complaints_log(user: object) -> bool:
    return any(m.role in COMPLAINTS_LOG_ROLES for m in memberships_of(user))


def complaints_visible_to(user: object) -> QuerySet[Complaint]:
    """The complaints this person reads (the scope matching ``can_read_complaint``)."""
    grant = Q(pk__in=[])
    for membership in memberships_of(user):
        kinds = _kinds(membership)
        if kinds is not None:
            grant |= kinds & scoped_record_grant(membership)
    return Complaint.objects.filter(grant)


def can_read_complaint(user: object, complaint: Complaint) -> bool:
    return any(
        membership_reads_complaint(membership, complaint) for membership in memberships_of(user)
    )


def access_complaints_log(actor: Actor) -> None:
    refuse_unless(can_use_complaints_log(actor.user), actor, detail=LOG_HIDDEN)


def access_complaint(actor: Actor, pk: int, to: str = "read") -> Complaint:
    """The complaint, for reading or responding (the same people do both), or a refusal."""
    complaint = (
        Complaint.objects.select_related("school", "carer", "pupil", "school_class__site")
        .filter(pk=pk)
        .first()
    )
    if complaint is None or not can_read_complaint(actor.user, complaint):
        refuse(
            actor,
            detail=COMPLAINT_HIDDEN,
            subject_type=Complaint._meta.label_lower,
            subject_id=pk,
            pupil_id=complaint.pupil_id if complaint is not None else None,
        )
    return complaint
