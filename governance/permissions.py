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

from django.db.models import Q, QuerySet

from governance.models import MonitoringActivity, PolicyDocument, PolicyVersion
from schools.models import Membership, Role, SchoolClass, Site
from schools.permissions import (
    memberships_of,
    school_ids_with_roles,
    scoped_record_covered,
    scoped_record_grant,
)

MONITORING_ROLES = frozenset({Role.SLT, Role.HEADTEACHER})
GOVERNOR_ROLES = frozenset({Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS})
POLICY_READ_ROLES = frozenset({Role.SLT, Role.HEADTEACHER, Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS})
PULSE_SUMMARY_ROLES = frozenset({Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS, Role.HEADTEACHER})


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
    from schools.models import School

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
