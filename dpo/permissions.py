"""Who may flag, read and handle breaches, and who reviews retention.

- Anyone holding a membership at a school may flag a suspected breach there (policy section
  3.5: IT staff flag breaches to the DPO; anyone else may too).
- The person who flagged a breach sees what they wrote and its status, never the handling.
- The school's DPO(s) handle breaches; the headteacher reads everything and acts on nothing
  (403 on the DPO's actions), except at a school with no DPO, where the headteacher handles
  them (and is the one told about them). Everyone else: 404.
- Retention: the DPO reviews and decides; the headteacher may read the queue (403 on its
  actions). Everyone else: 404.

Each rule exists as a predicate and as a queryset scope; tests check that they agree.
"""

from django.db.models import Q, QuerySet

from accounts.models import User
from core.actor import Actor
from dataprotection.refusals import Access, refuse
from dpo.models import Breach, RetentionReviewItem
from schools.models import Membership, Role, School
from schools.permissions import memberships_of

HANDLER_ROLES = frozenset({Role.DPO})
READER_ROLES = frozenset({Role.DPO, Role.HEADTEACHER})


def _school_ids(user: object, roles: frozenset[str] | None = None) -> set[int]:
    return {m.school_id for m in memberships_of(user) if roles is None or m.role in roles}


def schools_to_report_for(user: object) -> QuerySet[School]:
    return School.objects.filter(pk__in=_school_ids(user)).order_by("name", "pk")


def can_report_breach(user: object) -> bool:
    return bool(_school_ids(user))


def can_use_breach_register(user: object) -> bool:
    """The register page: the handlers' list, or the reporter's own reports."""
    return can_report_breach(user)


def can_oversee_breaches(user: object) -> bool:
    return bool(_school_ids(user, READER_ROLES))


def breaches_visible_to(user: object) -> QuerySet[Breach]:
    """Breaches this person may know of: all of their schools' as DPO or headteacher, else
    those they flagged themselves (while they still work at the school). One SQL statement."""
    schools = _school_ids(user)
    if not schools:
        return Breach.objects.none()
    return Breach.objects.filter(
        Q(school_id__in=_school_ids(user, READER_ROLES))
        | Q(school_id__in=schools, reported_by_id=user.pk)
    )


def can_read_breach(user: object, breach: Breach) -> bool:
    """The full record and its handling."""
    return breach.school_id in _school_ids(user, READER_ROLES)


def can_see_breach(user: object, breach: Breach) -> bool:
    if breach.school_id not in _school_ids(user):
        return False
    return breach.reported_by_id == user.pk or can_read_breach(user, breach)


def school_has_dpo(school_id: int) -> bool:
    return Membership.objects.filter(
        school_id=school_id, role=Role.DPO, user__is_active=True
    ).exists()


def can_handle_breach(user: object, breach: Breach) -> bool:
    """The school's DPO; at a school with no (active) DPO, its headteacher instead."""
    if breach.school_id in _school_ids(user, HANDLER_ROLES):
        return True
    return breach.school_id in _school_ids(
        user, frozenset({Role.HEADTEACHER})
    ) and not school_has_dpo(breach.school_id)


def breach_handlers_for(school_id: int) -> QuerySet[User]:
    """Who is told about a breach: the school's DPO(s), or its headteacher(s) when the school
    has no DPO, so that a flag never goes nowhere."""
    dpos = User.objects.filter(
        is_active=True, memberships__role=Role.DPO, memberships__school_id=school_id
    ).distinct()
    if dpos.exists():
        return dpos
    return User.objects.filter(
        is_active=True, memberships__role=Role.HEADTEACHER, memberships__school_id=school_id
    ).distinct()


BREACH_SUBJECT = Breach._meta.label_lower


def access_breach_register(actor: Actor) -> None:
    """The register and the flagging form: anyone working at a school; else an audited 404."""
    if not can_use_breach_register(actor.user):
        refuse(actor, detail="no membership at any school", subject_type=BREACH_SUBJECT)


def access_breach(actor: Actor, pk: int, *, to: Access = "read") -> Breach:
    """Read: the school's DPO and headteacher, and the person who flagged it (their receipt).
    Act: the DPO, or the headteacher of a school with no DPO; the other readers get 403.
    Everyone else the same audited 404 as for a breach that does not exist."""
    from dpo.selectors import breach_for_page  # the selectors read through this module

    breach = breach_for_page(pk)
    if breach is None or not can_see_breach(actor.user, breach):
        refuse(
            actor,
            detail="breach not visible to this person",
            subject_type=BREACH_SUBJECT,
            subject_id=pk,
        )
    if to == "act" and not can_handle_breach(actor.user, breach):
        refuse(actor, detail="only the DPO acts on a breach", status=403, subject=breach)
    return breach


# --- Retention ---------------------------------------------------------------------------------


def can_view_retention(user: object) -> bool:
    return can_oversee_breaches(user)


def retention_items_visible_to(user: object) -> QuerySet[RetentionReviewItem]:
    return RetentionReviewItem.objects.filter(school_id__in=_school_ids(user, READER_ROLES))


def can_see_retention_item(user: object, item: RetentionReviewItem) -> bool:
    return item.school_id in _school_ids(user, READER_ROLES)


def can_decide_retention(user: object, item: RetentionReviewItem) -> bool:
    return item.school_id in _school_ids(user, HANDLER_ROLES)


RETENTION_SUBJECT = RetentionReviewItem._meta.label_lower


def access_retention_queue(actor: Actor) -> None:
    if not can_view_retention(actor.user):
        refuse(actor, detail="retention queue", subject_type=RETENTION_SUBJECT)


def access_retention_item(actor: Actor, pk: int, *, to: Access = "read") -> RetentionReviewItem:
    """Read: the school's DPO and headteacher. Act (decide): the DPO; the headteacher gets
    403. Everyone else an audited 404."""
    from dpo.selectors import retention_item_for_page  # the selectors read through this module

    item = retention_item_for_page(pk)
    if item is None or not can_see_retention_item(actor.user, item):
        refuse(
            actor,
            detail="retention item not visible",
            subject_type=RETENTION_SUBJECT,
            subject_id=pk,
        )
    if to == "act" and not can_decide_retention(actor.user, item):
        refuse(
            actor,
            detail="only the DPO decides retention",
            status=403,
            subject=item,
            pupil_id=item.pupil_id,
        )
    return item
