"""Who may see and act on governance records.

Monitoring (section 3.3): SLT and the headteacher record and read the monitoring of the scope
their membership names (a class, a site and its classes, or the whole school; the headteacher
always the whole school). Governors and the chair may know which monitoring took place (kind,
date, scope, focus and how many follow-ups are open) but not the findings, corrections or
follow-ups: findings often name or describe individual staff, and governors monitor the
approach, not people. An activity's page answers them 403; everyone else 404.

Policy review (section 6): the headteacher (any headteacher membership at the school: the
policy says "headteacher or executive headteacher", and an executive head holds a headteacher
membership) drafts and reviews versions; the chair of governors approves them; governors and
SLT read. Everyone else 404.

Wellbeing pulse (section 3.7): every member of staff with a non-governor membership answers
for their school; governors, the chair and the headteacher read the suppressed aggregates.
"""

from typing import Literal

from django.db.models import Q, QuerySet

from core.actor import Actor
from dataprotection.refusals import Access, refuse, refuse_unless
from governance.models import FollowUp, MonitoringActivity, PolicyDocument, PolicyVersion
from schools.models import Membership, Role, School, SchoolClass, Site
from schools.permissions import (
    GOVERNOR_READER_ROLES,
    GOVERNOR_ROLES,
    LEADERSHIP_ROLES,
    memberships_of,
    school_ids_with_roles,
    scoped_record_covered,
    scoped_record_grant,
)

MONITORING_ROLES = LEADERSHIP_ROLES
POLICY_READ_ROLES = LEADERSHIP_ROLES | GOVERNOR_ROLES
PULSE_SUMMARY_ROLES = GOVERNOR_READER_ROLES


# --- Monitoring --------------------------------------------------------------------------------


def _monitoring_memberships(user: object) -> list[Membership]:
    return [m for m in memberships_of(user) if m.role in MONITORING_ROLES]


def monitoring_visible_to(user: object) -> QuerySet[MonitoringActivity]:
    """Activities whose full record (findings, follow-ups) this person may read."""
    grants = [scoped_record_grant(m) for m in _monitoring_memberships(user)]
    if not grants:
        return MonitoringActivity.objects.none()
    combined = grants[0]
    for grant in grants[1:]:
        combined |= grant
    return MonitoringActivity.objects.filter(combined)


def monitoring_listed_for(user: object) -> QuerySet[MonitoringActivity]:
    """Activities this person may know took place: their own scope, and for governors the
    whole of their school (shown without findings)."""
    governed = school_ids_with_roles(user, GOVERNOR_ROLES)
    visible = monitoring_visible_to(user)
    if not governed:
        return visible
    return MonitoringActivity.objects.filter(
        Q(pk__in=visible.values("pk")) | Q(school_id__in=governed)
    )


def can_read_monitoring(user: object, activity: MonitoringActivity) -> bool:
    return any(scoped_record_covered(m, activity) for m in _monitoring_memberships(user))


def can_know_monitoring(user: object, activity: MonitoringActivity) -> bool:
    """Whether the activity's existence may be admitted (403 rather than 404)."""
    return activity.school_id in school_ids_with_roles(user, GOVERNOR_ROLES) or can_read_monitoring(
        user, activity
    )


def can_act_on_monitoring(user: object, activity: MonitoringActivity) -> bool:
    """Adding corrections and follow-ups, marking follow-ups done: SLT and head of the scope."""
    return can_read_monitoring(user, activity)


def can_list_monitoring(user: object) -> bool:
    return any(m.role in MONITORING_ROLES | GOVERNOR_ROLES for m in memberships_of(user))


def can_record_monitoring(user: object) -> bool:
    return bool(_monitoring_memberships(user))


def can_record_monitoring_for(
    user: object, *, school_id: int, site: Site | None, school_class: SchoolClass | None
) -> bool:
    """Whether this person may record an activity for this scope (it must be inside theirs)."""
    probe = MonitoringActivity(
        school_id=school_id,
        site=site,
        school_class=school_class,
    )
    return can_read_monitoring(user, probe)


def recordable_scopes(user: object) -> tuple[QuerySet, QuerySet, QuerySet]:
    """The whole schools, sites and classes this person may record monitoring for."""
    whole_schools: set[int] = set()
    site_ids: set[int] = set()
    class_ids: set[int] = set()
    for m in _monitoring_memberships(user):
        if m.role == Role.HEADTEACHER or (m.site_id is None and m.school_class_id is None):
            whole_schools.add(m.school_id)
        elif m.school_class_id is not None:
            class_ids.add(m.school_class_id)
        else:
            site_ids.add(m.site_id)
    schools = School.objects.filter(pk__in=whole_schools)
    sites = Site.objects.filter(Q(school_id__in=whole_schools) | Q(pk__in=site_ids)).select_related(
        "school"
    )
    classes = SchoolClass.objects.filter(
        Q(site__school_id__in=whole_schools) | Q(site_id__in=site_ids) | Q(pk__in=class_ids)
    ).select_related("site__school")
    return schools, sites, classes


def whole_school_ids(user: object) -> set[int]:
    """Schools where this person may record school-wide monitoring."""
    return {
        m.school_id
        for m in _monitoring_memberships(user)
        if m.role == Role.HEADTEACHER or (m.site_id is None and m.school_class_id is None)
    }


MONITORING_HIDDEN = "monitoring not visible to this person"
MONITORING_FINDINGS = "governors see that monitoring took place, not its findings"
MONITORING_RECORDERS = "only SLT and the headteacher record monitoring"


def access_monitoring_list(actor: Actor) -> None:
    refuse_unless(can_list_monitoring(actor.user), actor, detail="monitoring list")


def access_monitoring_new(actor: Actor) -> None:
    """Recording: SLT and the headteacher; governors, who may list monitoring, get 403."""
    user = actor.user
    if not can_record_monitoring(user):
        refuse(actor, detail=MONITORING_RECORDERS, status=403 if can_list_monitoring(user) else 404)


def _monitoring_or_refuse(
    actor: Actor, activity: MonitoringActivity | None, pk: int, to: Access
) -> MonitoringActivity:
    """The full record for SLT and the head of its scope (read and act alike); 403 for the
    school's governors, who may know it took place; an audited 404 for everyone else."""
    user = actor.user
    if activity is None or not can_know_monitoring(user, activity):
        refuse(
            actor,
            detail=MONITORING_HIDDEN,
            subject_type=MonitoringActivity._meta.label_lower,
            subject_id=pk,
        )
    allowed = can_read_monitoring(user, activity)
    if to == "act":
        allowed = allowed and can_act_on_monitoring(user, activity)
    if not allowed:
        refuse(actor, detail=MONITORING_FINDINGS, status=403, subject=activity)
    return activity


def access_monitoring(actor: Actor, pk: int, *, to: Access = "read") -> MonitoringActivity:
    activity = MonitoringActivity.objects.select_related("school_class").filter(pk=pk).first()
    return _monitoring_or_refuse(actor, activity, pk, to)


def access_follow_up(actor: Actor, pk: int) -> FollowUp:
    """A follow-up to mark done: the same door as its activity's, to act."""
    follow_up = FollowUp.objects.select_related("activity__school_class").filter(pk=pk).first()
    if follow_up is None:
        refuse(
            actor, detail=MONITORING_HIDDEN, subject_type=FollowUp._meta.label_lower, subject_id=pk
        )
    _monitoring_or_refuse(actor, follow_up.activity, follow_up.activity_id, "act")
    return follow_up


# --- Policy review ---------------------------------------------------------------------------


def policy_documents_visible_to(user: object) -> QuerySet[PolicyDocument]:
    return PolicyDocument.objects.filter(
        school_id__in=school_ids_with_roles(user, POLICY_READ_ROLES)
    )


def can_list_policies(user: object) -> bool:
    return bool(school_ids_with_roles(user, POLICY_READ_ROLES))


def can_read_policy(user: object, document: PolicyDocument) -> bool:
    return document.school_id in school_ids_with_roles(user, POLICY_READ_ROLES)


def is_headteacher_of(user: object, school_id: int) -> bool:
    return school_id in school_ids_with_roles(user, frozenset({Role.HEADTEACHER}))


def is_chair_of(user: object, school_id: int) -> bool:
    return school_id in school_ids_with_roles(user, frozenset({Role.CHAIR_OF_GOVERNORS}))


def can_draft_policy(user: object, document: PolicyDocument) -> bool:
    return is_headteacher_of(user, document.school_id)


def can_review_policy(user: object, version: PolicyVersion) -> bool:
    return is_headteacher_of(user, version.document.school_id)


def can_approve_policy(user: object, version: PolicyVersion) -> bool:
    return is_chair_of(user, version.document.school_id)


def headteacher_school_ids(user: object) -> set[int]:
    return school_ids_with_roles(user, frozenset({Role.HEADTEACHER}))


def can_add_policy(user: object) -> bool:
    return bool(headteacher_school_ids(user))


POLICY_HIDDEN = "policy not visible to this person"
POLICY_DRAFTERS = "only the headteacher drafts a policy"
POLICY_STEPS = {
    "review": (can_review_policy, "only the headteacher reviews a policy version"),
    "approve": (can_approve_policy, "only the chair of governors approves a policy version"),
}


def access_policy_list(actor: Actor) -> None:
    refuse_unless(can_list_policies(actor.user), actor, detail="policy review")


def access_policy_new(actor: Actor) -> School:
    """The school a new policy is added to (the first the person is headteacher of); 403 for
    those who may read policies, an audited 404 for everyone else."""
    user = actor.user
    school = School.objects.filter(pk__in=headteacher_school_ids(user)).order_by("name").first()
    if school is None:
        refuse(actor, detail=POLICY_DRAFTERS, status=403 if can_list_policies(user) else 404)
    return school


def access_policy(actor: Actor, pk: int, *, to: Access = "read") -> PolicyDocument:
    """Read: governors, SLT and the headteacher of its school. Act (draft a version): the
    headteacher; the other readers get 403."""
    document = PolicyDocument.objects.select_related("school").filter(pk=pk).first()
    if document is None or not can_read_policy(actor.user, document):
        refuse(
            actor,
            detail=POLICY_HIDDEN,
            subject_type=PolicyDocument._meta.label_lower,
            subject_id=pk,
        )
    if to == "act" and not can_draft_policy(actor.user, document):
        refuse(actor, detail=POLICY_DRAFTERS, status=403, subject=document)
    return document


def access_policy_version(
    actor: Actor, pk: int, *, to: Literal["review", "approve"]
) -> PolicyVersion:
    """A version to take one step on. Its two steps are two people's (the headteacher
    reviews, the chair approves), so ``to`` names the step; other readers get 403."""
    version = PolicyVersion.objects.select_related("document").filter(pk=pk).first()
    if version is None or not can_read_policy(actor.user, version.document):
        refuse(
            actor, detail=POLICY_HIDDEN, subject_type=PolicyVersion._meta.label_lower, subject_id=pk
        )
    may, detail = POLICY_STEPS[to]
    if not may(actor.user, version):
        refuse(actor, detail=detail, status=403, subject=version)
    return version


# --- Wellbeing pulse -------------------------------------------------------------------------


def pulse_school_ids(user: object) -> set[int]:
    """Schools this person answers the pulse for: any membership other than a governor's."""
    return {m.school_id for m in memberships_of(user) if m.role not in GOVERNOR_ROLES}


def can_answer_pulse(user: object) -> bool:
    return bool(pulse_school_ids(user))


def pulse_summary_school_ids(user: object) -> set[int]:
    return school_ids_with_roles(user, PULSE_SUMMARY_ROLES)


def can_read_pulse_summary(user: object) -> bool:
    return bool(pulse_summary_school_ids(user))


def access_pulse(actor: Actor) -> set[int]:
    """The schools this person answers the pulse for; an audited 404 for governors."""
    school_ids = pulse_school_ids(actor.user)
    refuse_unless(bool(school_ids), actor, detail="the wellbeing pulse is for staff")
    return school_ids


def access_pulse_summary(actor: Actor) -> set[int]:
    """The schools whose suppressed pulse counts this person reads."""
    school_ids = pulse_summary_school_ids(actor.user)
    refuse_unless(bool(school_ids), actor, detail="wellbeing pulse summary")
    return school_ids
