"""Who may see and act on IT support records (policy section 3.5; "IT support: IT, the
requester, SLT").

Support requests:
- any member of staff raises one and sees their own (and may add notes to it);
- IT staff see and work the queue of their school, or of their site when their membership is
  narrowed (a class-narrowed membership counts as its class's site); requests not about one
  site are in every site's queue;
- SLT and the headteacher read the requests in their scope (the same rule) but do not act;
- everyone else may not know a request exists (404).
A pupil named on a request is shown only to those who may see that pupil.

Loans and family assistance: IT staff record them for the pupils they may see; SLT and the
headteacher read them. Needs (device, internet access, paper copies): anyone who may see the
pupil records one; IT, class staff, SLT and the headteacher see open needs and mark them met.
"""

from django.db.models import Q, QuerySet

from core.actor import Actor
from dataprotection.refusals import Access, refuse

# A module import, not names: the selectors scope their lists by the rules below.
from itsupport import selectors
from itsupport.models import DeviceLoan, DeviceNeed, FamilyAssistance, SupportRequest
from schools.models import Membership, Pupil, Role
from schools.permissions import (
    CLASS_ROLES,
    GOVERNOR_ROLES,
    IT_ROLES,
    LEADERSHIP_ROLES,
    PupilAccess,
    can_list_pupils,
    memberships_of,
    pupil_access,
    pupils_visible_to,
)

REQUEST_SUBJECT = SupportRequest._meta.label_lower
PUPIL_SUBJECT = Pupil._meta.label_lower
OVERSIGHT_ROLES = LEADERSHIP_ROLES
QUEUE_ROLES = IT_ROLES | OVERSIGHT_ROLES
# Governors are not staff: they never raise IT requests.
NOT_STAFF_ROLES = GOVERNOR_ROLES
LOAN_READ_ROLES = IT_ROLES | OVERSIGHT_ROLES
NEED_ROLES = IT_ROLES | CLASS_ROLES | OVERSIGHT_ROLES


def _staff_memberships(user: object) -> list[Membership]:
    return [m for m in memberships_of(user) if m.role not in NOT_STAFF_ROLES]


def _membership_site_id(membership: Membership) -> int | None:
    if membership.site_id is not None:
        return membership.site_id
    if membership.school_class_id is not None:
        return membership.school_class.site_id
    return None


def _queue_grant(membership: Membership) -> Q:
    """The requests one IT, SLT or headteacher membership covers, as a filter."""
    site_id = _membership_site_id(membership)
    if membership.role == Role.HEADTEACHER or site_id is None:
        return Q(school_id=membership.school_id)
    return Q(school_id=membership.school_id) & (Q(site_id=site_id) | Q(site__isnull=True))


def _covers(membership: Membership, support_request: SupportRequest) -> bool:
    if membership.school_id != support_request.school_id:
        return False
    site_id = _membership_site_id(membership)
    if membership.role == Role.HEADTEACHER or site_id is None:
        return True
    return support_request.site_id is None or support_request.site_id == site_id


def _grants(user: object, roles: frozenset[str]) -> Q | None:
    combined = None
    for membership in memberships_of(user):
        if membership.role in roles:
            grant = _queue_grant(membership)
            combined = grant if combined is None else combined | grant
    return combined


# --- Support requests ------------------------------------------------------------------------


def can_raise_request(user: object) -> bool:
    return bool(_staff_memberships(user))


def request_schools(user: object) -> list:
    """The schools this person may raise a request at (where they are staff)."""
    seen: dict[int, object] = {}
    for membership in _staff_memberships(user):
        seen.setdefault(membership.school_id, membership.school)
    return list(seen.values())


def can_list_requests(user: object) -> bool:
    return can_raise_request(user)


def is_it_staff(user: object) -> bool:
    return any(m.role in IT_ROLES for m in memberships_of(user))


def sees_demand(user: object) -> bool:
    """IT, SLT and the headteacher see how much help each system needs."""
    return any(m.role in QUEUE_ROLES for m in memberships_of(user))


def requests_visible_to(user: object) -> QuerySet[SupportRequest]:
    """Every request this person may read: one SQL statement."""
    if not getattr(user, "is_authenticated", False):
        return SupportRequest.objects.none()
    combined = Q(raised_by_id=user.pk)
    queue = _grants(user, QUEUE_ROLES)
    if queue is not None:
        combined |= queue
    return SupportRequest.objects.filter(combined)


def requests_workable_by(user: object) -> QuerySet[SupportRequest]:
    """The IT queue this person works: one SQL statement."""
    grants = _grants(user, IT_ROLES)
    if grants is None:
        return SupportRequest.objects.none()
    return SupportRequest.objects.filter(grants)


def _roles_over(user: object, support_request: SupportRequest) -> frozenset[str]:
    return frozenset(
        m.role
        for m in memberships_of(user)
        if m.role in QUEUE_ROLES and _covers(m, support_request)
    )


def can_view_request(user: object, support_request: SupportRequest) -> bool:
    if support_request.raised_by_id == getattr(user, "pk", None):
        return can_raise_request(user)
    return bool(_roles_over(user, support_request))


def can_work_on_request(user: object, support_request: SupportRequest) -> bool:
    """IT staff whose queue holds the request: assign, resolve."""
    return bool(_roles_over(user, support_request) & IT_ROLES)


def can_add_note(user: object, support_request: SupportRequest) -> bool:
    """IT, and the person who raised it (to add what they have since found out)."""
    if not can_view_request(user, support_request):
        return False
    return support_request.raised_by_id == user.pk or can_work_on_request(user, support_request)


def pupils_for_requests(user: object) -> QuerySet[Pupil]:
    return pupils_visible_to(user).filter(on_roll=True)


def visible_pupil_ids(user: object, pupil_ids: set[int]) -> set[int]:
    """Which of these pupils this person may see: one query (none when there are none)."""
    if not pupil_ids:
        return set()
    return set(pupils_visible_to(user).filter(pk__in=pupil_ids).values_list("pk", flat=True))


def access_request_list(actor: Actor) -> None:
    """The list of requests: any member of staff (their own, and their queue)."""
    if not can_list_requests(actor.user):
        refuse(actor, subject_type=REQUEST_SUBJECT, detail="list: not staff")


def access_request_raising(actor: Actor) -> None:
    """Raising a request: any member of staff."""
    if not can_raise_request(actor.user):
        refuse(actor, subject_type=REQUEST_SUBJECT, detail="raise: not staff")


def access_request(actor: Actor, pk: int, *, to: Access = "read") -> SupportRequest:
    """The request for those who read it ("read") or for IT staff who work on it ("act")."""
    support_request = selectors.request_for_page(pk)
    if support_request is None or not can_view_request(actor.user, support_request):
        refuse(actor, subject_type=REQUEST_SUBJECT, subject_id=pk, detail="not visible")
    if to == "act" and not can_work_on_request(actor.user, support_request):
        refuse(
            actor,
            status=403,
            subject=support_request,
            pupil_id=support_request.pupil_id,
            detail="may read, may not work on",
        )
    return support_request


def access_request_notes(actor: Actor, pk: int) -> SupportRequest:
    """The request for adding a note: IT, and the person who raised it."""
    support_request = access_request(actor, pk)
    if not can_add_note(actor.user, support_request):
        refuse(
            actor,
            status=403,
            subject=support_request,
            pupil_id=support_request.pupil_id,
            detail="may not add notes",
        )
    return support_request


def access_pupil_choice(actor: Actor, raw: str, *, pupils: QuerySet[Pupil]) -> int | None:
    """The pupil named by ``?pupil=<id>`` (from the pupil's record) when this person may choose
    them on the form (one of ``pupils``); none named is None; any other id is a 404."""
    if not raw:
        return None
    if not raw.isdigit() or not pupils.filter(pk=int(raw)).exists():
        refuse(
            actor,
            subject_type=PUPIL_SUBJECT,
            subject_id=raw[:20] if raw.isdigit() else "",
            detail="pupil not available here",
        )
    return int(raw)


# --- Loans and family assistance -------------------------------------------------------------


def can_list_loans(user: object) -> bool:
    return any(m.role in LOAN_READ_ROLES for m in memberships_of(user))


def can_lend(user: object) -> bool:
    return is_it_staff(user)


def loans_visible_to(user: object) -> QuerySet[DeviceLoan]:
    return DeviceLoan.objects.filter(pupil__in=pupils_visible_to(user, roles=LOAN_READ_ROLES))


def can_view_loan(user: object, loan: DeviceLoan) -> bool:
    return bool(pupil_access(user, loan.pupil).roles & LOAN_READ_ROLES)


def can_manage_loan(user: object, loan: DeviceLoan) -> bool:
    return bool(pupil_access(user, loan.pupil).roles & IT_ROLES)


def pupils_for_loans(user: object) -> QuerySet[Pupil]:
    return pupils_visible_to(user, roles=IT_ROLES).filter(on_roll=True)


def assistance_visible_to(user: object) -> QuerySet[FamilyAssistance]:
    return FamilyAssistance.objects.filter(pupil__in=pupils_visible_to(user, roles=LOAN_READ_ROLES))


# --- Needs -----------------------------------------------------------------------------------


def can_list_needs(user: object) -> bool:
    return any(
        m.role in NEED_ROLES and (m.role not in CLASS_ROLES or m.school_class_id)
        for m in memberships_of(user)
    )


def can_record_needs(user: object) -> bool:
    """Anyone whose role can ever show a pupil may say that a pupil they see needs something."""
    return can_list_pupils(user)


def pupils_for_needs(user: object) -> QuerySet[Pupil]:
    return pupils_visible_to(user).filter(on_roll=True)


def needs_visible_to(user: object) -> QuerySet[DeviceNeed]:
    return DeviceNeed.objects.filter(pupil__in=pupils_visible_to(user, roles=NEED_ROLES))


def can_view_need(user: object, need: DeviceNeed) -> bool:
    return pupil_access(user, need.pupil).can_view


def can_meet_need(user: object, need: DeviceNeed) -> bool:
    return bool(pupil_access(user, need.pupil).roles & NEED_ROLES)


def it_panel_rights(access: PupilAccess) -> dict[str, bool]:
    """What the pupil's IT section offers this person: marking needs met, lending."""
    return {
        "may_meet": bool(access.roles & NEED_ROLES),
        "may_lend": bool(access.roles & IT_ROLES),
    }
