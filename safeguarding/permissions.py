"""Who may see and act on safeguarding records.

Concerns and everything under them are for the DSL team of the pupil's site (DSL and deputy
DSLs, or a school-wide DSL) and the headteacher; a concern of a category kept for the DSL team
only is for the DSL team alone (``safeguarding.visibility``). The member of staff who raised a
concern sees that it was received and its status, never the DSL team's working. Teachers, SLT, IT,
governors and the DPO see nothing of a concern's content.
"""

from django.db.models import Q, QuerySet

from accounts.models import User
from core.actor import Actor
from dataprotection.refusals import Access, refuse
from safeguarding.models import (
    Action,
    Concern,
    ConcernStatus,
    Referral,
    SessionChecklistEntry,
    VirtualSession,
)
from safeguarding.selectors import action_for_page, concern_for_page, referral_for_page
from safeguarding.visibility import may_read_concern
from schools.models import Membership, Pupil, Role
from schools.permissions import (
    CLASS_ROLES,
    DSL_ROLES,
    LEADERSHIP_ROLES,
    PUPIL_FACING_STAFF_ROLES,
    SAFEGUARDING_ROLES,
    STAFF_ROLES,
    can_view_pupil,
    memberships_of,
    pupil_access,
    pupils_visible_to,
    school_ids_with_roles,
)

DSL_TEAM_ROLES = DSL_ROLES
CONCERN_SUBJECT = Concern._meta.label_lower
PUPIL_SUBJECT = Pupil._meta.label_lower


def can_triage_concern(user: object, concern: Concern) -> bool:
    """Whether this person reads the concern's content and handles it (see ``visibility``)."""
    return may_read_concern(pupil_access(user, concern.pupil).roles, concern.category)


def can_see_receipt(user: object, concern: Concern) -> bool:
    """The reporter sees that their concern arrived and its status (not its handling), while
    they are on the school's staff: having raised it is not enough on its own, or someone who
    has left would keep a way in to a child's safeguarding record."""
    reporter = concern.raised_by_id == getattr(user, "pk", None) and (
        concern.pupil.school_id in school_ids_with_roles(user, STAFF_ROLES)
    )
    return reporter or can_triage_concern(user, concern)


def is_reporter_raising(user: object, concern: Concern) -> bool:
    """The member of staff who raised the concern, still on the staff, before the DSL team has
    acknowledged it: while they are still raising it they place the marks they saw."""
    return (
        concern.raised_by_id == getattr(user, "pk", None)
        and concern.status == ConcernStatus.RAISED
        and can_see_receipt(user, concern)
    )


def can_add_body_marks(user: object, concern: Concern) -> bool:
    """The DSL team and the headteacher, and the reporter while raising it."""
    return can_triage_concern(user, concern) or is_reporter_raising(user, concern)


def can_raise_concern_for(user: object, pupil: Pupil) -> bool:
    """Any member of staff who can see the pupil can raise a concern about them."""
    return can_view_pupil(user, pupil)


def can_name_in_concern(user: object, pupil: Pupil) -> bool:
    """Another pupil a concern may name: one the person can see (the service also keeps them
    to the school of the pupil the concern is about)."""
    return can_view_pupil(user, pupil)


def nameable_pupils(user: object, school_id: int) -> QuerySet[Pupil]:
    """The pupils this person may name in a concern about a pupil of this school: those of the
    school they can see, in name order (a fixed choice for the form)."""
    return (
        pupils_visible_to(user)
        .filter(school_id=school_id)
        .select_related("school_class")
        .order_by("last_name", "first_name", "pk")
    )


def can_use_dashboard(user: object) -> bool:
    return any(m.role in SAFEGUARDING_ROLES for m in memberships_of(user))


def dsl_team_for(pupil: Pupil) -> QuerySet[User]:
    """The DSL and deputies who cover the pupil's site (or the whole school)."""
    covering = Membership.objects.filter(role__in=DSL_TEAM_ROLES, school_id=pupil.school_id).filter(
        Q(site_id=pupil.school_class.site_id) | Q(site__isnull=True, school_class__isnull=True)
    )
    return User.objects.filter(is_active=True, memberships__in=covering).distinct()


def dsl_teams_of(school_ids: set[int]) -> list[tuple[int, int, int | None]]:
    """The DSL teams of these schools as (user, school, site or None for the whole school):
    one query, for scheduled jobs that tell the team covering each of many pupils' sites."""
    return list(
        Membership.objects.filter(
            role__in=DSL_TEAM_ROLES, school_id__in=school_ids, user__is_active=True
        )
        .filter(Q(site__isnull=False) | Q(school_class__isnull=True))
        .values_list("user_id", "school_id", "site_id")
    )


def covering(
    team: list[tuple[int, int, int | None]], school_id: int, site_id: int | None
) -> list[int]:
    """Those of ``dsl_teams_of`` who cover this site (or the whole of its school)."""
    return [
        user_id
        for user_id, member_school, member_site in team
        if member_school == school_id and member_site in (None, site_id)
    ]


def headteachers_for(pupil: Pupil) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__role=Role.HEADTEACHER,
        memberships__school_id=pupil.school_id,
    ).distinct()


def owner_choices(concern: Concern) -> QuerySet[User]:
    """Who may own a concern or do its actions: the site's DSL team and the headteachers, or
    the DSL team alone for a category kept for the DSL team only (nobody is given work on a
    concern they may not open)."""
    pupil = concern.pupil
    who = Q(pk__in=dsl_team_for(pupil).values("pk"))
    if not concern.category.dsl_team_only:
        who |= Q(pk__in=headteachers_for(pupil).values("pk"))
    return User.objects.filter(who).order_by("full_name", "email")


# --- Gates: the one door through which a concern page gets its record -------------------------


def access_concern_receipt(actor: Actor, pk: int) -> Concern:
    """The concern for its reporter (its receipt and status) and for those who triage it."""
    concern = concern_for_page(pk)
    if concern is None or not can_see_receipt(actor.user, concern):
        refuse(
            actor,
            subject_type=CONCERN_SUBJECT,
            subject_id=pk,
            pupil_id=concern.pupil_id if concern else None,
            detail="concern not visible to this person",
        )
    return concern


def access_concern(actor: Actor, pk: int, *, to: Access = "read") -> Concern:
    """The concern's content and handling, which the DSL team reads and acts on alike.

    404 for those who may not know of it; 403 for the reporter, who may not see its handling.
    """
    concern = access_concern_receipt(actor, pk)
    if not can_triage_concern(actor.user, concern):
        refuse(
            actor,
            status=403,
            subject=concern,
            pupil_id=concern.pupil_id,
            detail="reporter may see the receipt only",
        )
    return concern


def access_body_marking(actor: Actor, pk: int) -> Concern:
    """The concern, for adding marks to its body map: 404 for those who may not know of it,
    403 for the reporter once the DSL team has acknowledged it."""
    concern = access_concern_receipt(actor, pk)
    if not can_add_body_marks(actor.user, concern):
        refuse(
            actor,
            status=403,
            subject=concern,
            pupil_id=concern.pupil_id,
            detail="the reporter adds marks only until the concern is acknowledged",
        )
    return concern


def access_action(actor: Actor, pk: int) -> tuple[Action, Concern]:
    """An action on a concern, with its concern, for those who triage it."""
    action = action_for_page(pk)
    if action is None:
        refuse(actor, subject_type="safeguarding.action", subject_id=pk, detail="no such action")
    return action, access_concern(actor, action.concern_id, to="act")


def access_referral(actor: Actor, pk: int) -> Referral:
    """A referral, to record its response or a chase: for those who triage its concern (the
    reporter gets 403, everyone else 404, as on the concern)."""
    referral = referral_for_page(pk)
    if referral is None:
        refuse(
            actor, subject_type=Referral._meta.label_lower, subject_id=pk, detail="no such referral"
        )
    access_concern(actor, referral.concern_id, to="act")
    return referral


def access_concern_raising(actor: Actor, pupil: Pupil | None) -> Pupil:
    """The pupil a concern is about, for anyone who may see them; 404 otherwise."""
    if pupil is None or not can_raise_concern_for(actor.user, pupil):
        refuse(
            actor,
            subject_type=PUPIL_SUBJECT,
            subject_id=pupil.pk if pupil else "",
            pupil_id=pupil.pk if pupil else None,
            detail="may not raise a concern about this pupil",
        )
    return pupil


def access_chronology(actor: Actor, pupil_pk: int) -> Pupil:
    """The pupil whose safeguarding chronology the DSL team and the headteacher read."""
    pupil = Pupil.objects.select_related("school_class__site").filter(pk=pupil_pk).first()
    if pupil is None or not (pupil_access(actor.user, pupil).roles & SAFEGUARDING_ROLES):
        refuse(
            actor,
            subject_type=PUPIL_SUBJECT,
            subject_id=pupil_pk,
            pupil_id=pupil.pk if pupil else None,
            detail="safeguarding chronology not visible to this person",
        )
    return pupil


# --- Virtual sessions (Appendix 1) ------------------------------------------------------------
# The teachers and class staff of the invited pupils' classes plan and run a session; SLT, the
# headteacher and the DSL team of the pupils' site read it; nobody else may know it exists.

SESSION_READ_ROLES = LEADERSHIP_ROLES | DSL_ROLES
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


def session_staff(school_id: int, site_ids: QuerySet | list[int]) -> QuerySet[User]:
    """Who counts as a member of staff present at a session for pupils of these sites: a
    pupil-facing staff role at the school, school-wide or at one of the sites (or a class
    there). One SQL statement; the form offers them and the service checks against it."""
    covering = Membership.objects.filter(
        school_id=school_id, role__in=PUPIL_FACING_STAFF_ROLES
    ).filter(
        Q(site__isnull=True, school_class__isnull=True)
        | Q(site_id__in=site_ids)
        | Q(school_class__site_id__in=site_ids)
    )
    return User.objects.filter(is_active=True, pk__in=covering.values("user_id")).order_by(
        "full_name", "email"
    )


def not_session_staff(school_id: int, site_ids: QuerySet | list[int], people: list) -> list:
    """Of these people, those who are not ``session_staff`` for these sites: the one check a
    session's staff present and a home visit's staff both make. One SQL statement."""
    counted = set(
        session_staff(school_id, site_ids)
        .filter(pk__in=[person.pk for person in people])
        .values_list("pk", flat=True)
    )
    return [person for person in people if person.pk not in counted]


def sessions_with_gaps(user: object):
    """Sessions whose checklist shows an item not done, for SLT and the DSL team."""
    return sessions_visible_to(user, roles=SESSION_READ_ROLES).filter(
        pk__in=SessionChecklistEntry.objects.filter(done=False).values("session_id")
    )
