"""Who may see which pupils, and how much of them.

Each rule exists twice on purpose: as a queryset scope (one SQL statement, for lists and
jobs) and as a predicate over the person's memberships (for a single pupil). The tests check
that the two always agree. Views never decide access themselves: they ask here.

Scope by role (policy section 3):
- teachers and class staff: the pupils of the classes they hold a membership for;
- SLT and middle leaders: the classes (or the site, or the school) their membership names;
- the headteacher: the whole school;
- DSL and deputy DSL: their site, or the school when not narrowed to a site;
- IT staff: names and classes only, across their site or school;
- family support workers and school nurses: only pupils explicitly shared with them;
- the DPO and governors: no pupils at all.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from core.actor import Actor
from dataprotection.refusals import Access, refuse, refuse_unless
from schools.models import Membership, Pupil, PupilUserObjectPermission, Role

CLASS_ROLES = frozenset({Role.TEACHER, Role.CLASS_STAFF})
NARROWABLE_ROLES = frozenset({Role.SLT, Role.DSL, Role.DEPUTY_DSL, Role.IT_STAFF})
SHARE_ONLY_ROLES = frozenset({Role.FAMILY_SUPPORT, Role.SCHOOL_NURSE})
DSL_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL})

# Roles that contact families, and so may see carers' phone numbers, emails and addresses.
CARER_CONTACT_ROLES = frozenset(
    {
        Role.TEACHER,
        Role.CLASS_STAFF,
        Role.SLT,
        Role.HEADTEACHER,
        Role.DSL,
        Role.DEPUTY_DSL,
        Role.FAMILY_SUPPORT,
        Role.SCHOOL_NURSE,
    }
)
# Roles that see who a pupil is and where they are taught, but nothing more.
NAME_ONLY_ROLES = frozenset({Role.IT_STAFF})

# Leadership: whole-site and whole-class decisions (closures, cover, the attendance export),
# SLT monitoring and oversight reports, each over the scope a membership names.
LEADERSHIP_ROLES = frozenset({Role.SLT, Role.HEADTEACHER})
# Who works on remote-education cases, and who may also read them (the DSL team).
CASE_WORK_ROLES = CLASS_ROLES | LEADERSHIP_ROLES
CASE_READ_ROLES = CASE_WORK_ROLES | DSL_ROLES
# Who decides a case's contact plan (more frequent calls).
CONTACT_PLAN_ROLES = DSL_ROLES | {Role.HEADTEACHER}
# Governors and the chair see aggregates and policy only, never pupil data or staff findings;
# everyone else is staff.
GOVERNOR_ROLES = frozenset({Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS})
STAFF_ROLES = frozenset(Role) - GOVERNOR_ROLES
# The adults who may be present with pupils, as in a virtual session's "at least two members
# of staff" (Appendix 1): staff, but not the DPO, whose work is records, not pupils. Someone
# holding another staff role as well counts through that role.
PUPIL_FACING_STAFF_ROLES = STAFF_ROLES - {Role.DPO}
# Concerns' content: the DSL team and the headteacher.
SAFEGUARDING_ROLES = DSL_ROLES | {Role.HEADTEACHER}
# IT staff: they work the IT queue and lend devices.
IT_ROLES = frozenset({Role.IT_STAFF})

SHARE_PERMISSION = "view_pupil"


def memberships_of(user: object) -> list[Membership]:
    """The person's memberships, fetched once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_school_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related("school", "school_class", "site")
        )
        user._school_memberships = cached
    return cached


def forget_memberships(user: object) -> None:
    if hasattr(user, "_school_memberships"):
        del user._school_memberships


def roles_of(user: object) -> set[str]:
    return {membership.role for membership in memberships_of(user)}


def school_ids_with_roles(user: object, roles: frozenset[str]) -> set[int]:
    """The schools where this person holds any of ``roles``."""
    return {m.school_id for m in memberships_of(user) if m.role in roles}


def _shared_pupil_ids(user: object) -> QuerySet:
    return PupilUserObjectPermission.objects.filter(
        user=user, permission__codename=SHARE_PERMISSION
    ).values("content_object_id")


def _membership_grant(membership: Membership) -> Q | None:
    """The pupils one membership lets its holder see, as a filter on Pupil."""
    role = membership.role
    if role in CLASS_ROLES:
        if membership.school_class_id is None:
            return None
        return Q(school_class_id=membership.school_class_id)
    if role == Role.HEADTEACHER:
        return Q(school_id=membership.school_id)
    if role in NARROWABLE_ROLES:
        if membership.school_class_id is not None:
            return Q(school_class_id=membership.school_class_id)
        if membership.site_id is not None:
            return Q(school_class__site_id=membership.site_id)
        return Q(school_id=membership.school_id)
    if role in SHARE_ONLY_ROLES:
        return Q(school_id=membership.school_id, pk__in=_shared_pupil_ids(membership.user_id))
    return None


def pupils_visible_to(user: object, *, roles: frozenset[str] | None = None) -> QuerySet[Pupil]:
    """Every pupil this person may know exists (through ``roles`` only, when given).

    One SQL statement, whatever their roles.
    """
    grants = [
        grant
        for m in memberships_of(user)
        if (roles is None or m.role in roles) and (grant := _membership_grant(m)) is not None
    ]
    if not grants:
        return Pupil.objects.none()
    combined = grants[0]
    for grant in grants[1:]:
        combined |= grant
    return Pupil.objects.filter(combined)


def _is_shared(user: object, pupil: Pupil) -> bool:
    return PupilUserObjectPermission.objects.filter(
        user=user, content_object=pupil, permission__codename=SHARE_PERMISSION
    ).exists()


def _membership_covers(membership: Membership, pupil: Pupil, shared: bool) -> bool:
    role = membership.role
    if membership.school_id != pupil.school_id:
        return False
    if role in CLASS_ROLES:
        return membership.school_class_id is not None and (
            membership.school_class_id == pupil.school_class_id
        )
    if role == Role.HEADTEACHER:
        return True
    if role in NARROWABLE_ROLES:
        if membership.school_class_id is not None:
            return membership.school_class_id == pupil.school_class_id
        if membership.site_id is not None:
            return membership.site_id == pupil.school_class.site_id
        return True
    if role in SHARE_ONLY_ROLES:
        return shared
    return False


@dataclass(frozen=True, slots=True)
class PupilAccess:
    """How much of one pupil's record a person may see and do."""

    can_view: bool = False
    can_view_details: bool = False
    can_view_carer_contacts: bool = False
    can_manage_shares: bool = False
    roles: frozenset[str] = frozenset()


NO_ACCESS = PupilAccess()


def pupil_access(user: object, pupil: Pupil) -> PupilAccess:
    memberships = memberships_of(user)
    needs_share_check = any(m.role in SHARE_ONLY_ROLES for m in memberships)
    shared = needs_share_check and _is_shared(user, pupil)
    covering = frozenset(m.role for m in memberships if _membership_covers(m, pupil, shared))
    if not covering:
        return NO_ACCESS
    return PupilAccess(
        can_view=True,
        can_view_details=bool(covering - NAME_ONLY_ROLES),
        can_view_carer_contacts=bool(covering & CARER_CONTACT_ROLES),
        can_manage_shares=can_manage_pupil_shares(user, pupil, covering),
        roles=covering,
    )


def can_view_pupil(user: object, pupil: Pupil) -> bool:
    return pupil_access(user, pupil).can_view


def can_manage_pupil_shares(
    user: object, pupil: Pupil, covering: frozenset[str] | None = None
) -> bool:
    """The site's DSL team and the headteacher decide who else is involved with a pupil."""
    if covering is None:
        covering = pupil_access(user, pupil).roles
    return bool(covering & (DSL_ROLES | {Role.HEADTEACHER}))


def pupil_content_type() -> ContentType:
    return ContentType.objects.get_for_model(Pupil)


# Roles whose memberships can ever show a pupil; the DPO and governors hold none of them.
PUPIL_ROLES = CLASS_ROLES | NARROWABLE_ROLES | SHARE_ONLY_ROLES | {Role.HEADTEACHER}


def can_list_pupils(user: object) -> bool:
    """Whether the pupil list exists for this person at all (else it answers 404)."""
    return any(m.role in PUPIL_ROLES for m in memberships_of(user))


# The Data Protection Officer and the headteacher read who looked at pupils' records.
ACCESS_LOG_ROLES = frozenset({Role.DPO, Role.HEADTEACHER})


def access_log_school_ids(user: object) -> set[int]:
    """The schools whose access log this person may read (none for most people)."""
    return school_ids_with_roles(user, ACCESS_LOG_ROLES)


def can_view_access_log(user: object) -> bool:
    return bool(access_log_school_ids(user))


# Leadership records scoped to a school, a site or a class (oversight reports, SLT monitoring):
# what an SLT or headteacher membership covers, as a filter and as a check on one record. The
# record's model has ``school``, ``site`` (null unless scoped to a site) and ``school_class``.


def scoped_record_grant(membership: Membership) -> Q:
    """The records one SLT or headteacher membership covers, as a filter on the record."""
    if membership.role != Role.HEADTEACHER:
        if membership.school_class_id is not None:
            return Q(school_class_id=membership.school_class_id)
        if membership.site_id is not None:
            return Q(site_id=membership.site_id) | Q(school_class__site_id=membership.site_id)
    return Q(school_id=membership.school_id)


def scoped_record_covered(membership: Membership, record: object) -> bool:
    """The predicate matching ``scoped_record_grant``."""
    if membership.school_id != record.school_id:
        return False
    if membership.role != Role.HEADTEACHER:
        if membership.school_class_id is not None:
            return record.school_class_id == membership.school_class_id
        if membership.site_id is not None:
            if record.school_class_id is not None:
                return record.school_class.site_id == membership.site_id
            return record.site_id == membership.site_id
    return True


# Who reads what governors read (the governors' summary, the wellbeing pulse's counts).
GOVERNOR_READER_ROLES = GOVERNOR_ROLES | {Role.HEADTEACHER}

# Governors see only aggregates, never pupil data, so have no device to declare (policy 5.3).
DEVICE_DECLARATION_EXEMPT_ROLES = GOVERNOR_ROLES


def must_declare_device(user: object) -> bool:
    """Staff who may see pupil data declare their device: anyone with a membership in a role
    other than governor or chair (asked by the declarations app's page and gate)."""
    return any(m.role not in DEVICE_DECLARATION_EXEMPT_ROLES for m in memberships_of(user))


def is_administrator(user: object) -> bool:
    """An administrator of the service (``is_staff``): sets up schools, imports from the MIS."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
    )


def can_import_mis(user: object) -> bool:
    """Only administrators import from the MIS (and only they may know the page exists)."""
    return is_administrator(user)


# --- The gates: the one door a view uses to reach a pupil or a pupils' page -------------------

PUPIL_HIDDEN = "pupil not visible to this person"


def access_pupil_list(actor: Actor) -> None:
    """The pupil list exists only for people whose roles can show a pupil (else 404)."""
    refuse_unless(can_list_pupils(actor.user), actor, detail="no role that sees pupils")


def access_pupil(
    actor: Actor, pk: int, *, to: Access = "read", refusal: str = PUPIL_HIDDEN
) -> tuple[Pupil, PupilAccess]:
    """The pupil and what this person may do with them, or an audited refusal.

    404 (``refusal`` names what was refused, for other apps' pupil sections) where they may
    not see the pupil, so a refusal looks exactly like a pupil that does not exist. To act
    is to decide who else is involved: 403 for those who may see the pupil but not that.
    """
    # Imported here: the selectors read through the scopes defined in this module.
    from schools.selectors import pupil_for_profile

    pupil = pupil_for_profile(pk)
    access = pupil_access(actor.user, pupil) if pupil is not None else NO_ACCESS
    if pupil is None or not access.can_view:
        refuse(
            actor,
            detail=refusal,
            subject_type=Pupil._meta.label_lower,
            subject_id=pk,
            pupil_id=pupil.pk if pupil is not None else None,
        )
    if to == "act" and not access.can_manage_shares:
        refuse(
            actor,
            detail="may not change who is involved",
            status=403,
            subject=pupil,
            pupil_id=pupil.pk,
        )
    return pupil, access


def access_carer_contacts(actor: Actor, pk: int) -> Pupil:
    """The pupil whose carers' phone numbers, emails and addresses this person may be shown:
    404 as for the pupil, 403 for those who see the pupil but do not contact families."""
    pupil, access = access_pupil(actor, pk)
    if not access.can_view_carer_contacts:
        refuse(
            actor,
            detail="may not see carers' contact details",
            status=403,
            subject=pupil,
            pupil_id=pupil.pk,
        )
    return pupil
