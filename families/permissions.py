"""The carers' portal's gate: who a signed-in carer is, and which children they may see.

A carer sees a child only while all of these hold: their account is a carer's account and is
active (not ended); they are linked to the child with parental responsibility; the link is not
marked "no contact / restricted" (a court order or the DSL's decision); the child is on roll
at the carer's school. Each rule lives once, in ``children_of``; ``access_child`` is the one
door every portal page about a child goes through.
"""

from django.db.models import F, Q, QuerySet

from accounts.models import UserKind
from core.actor import Actor
from dataprotection.refusals import refuse
from schools.models import Carer, CarerLink, Pupil

CHILD_HIDDEN = "child not visible to this carer"
_CARER_CACHE = "_families_carer"


def is_carer_account(user: object) -> bool:
    """A signed-in, active carer's account (an ended account is no longer one)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "kind", None) == UserKind.CARER
    )


def carer_of(user: object) -> Carer | None:
    """The carer this account belongs to, with their school; fetched once per request and
    kept on the user object. None for staff, ended accounts and accounts with no carer."""
    if not is_carer_account(user):
        return None
    if not hasattr(user, _CARER_CACHE):
        setattr(
            user, _CARER_CACHE, Carer.objects.select_related("school").filter(user=user).first()
        )
    return getattr(user, _CARER_CACHE)


# A link through which a carer sees the child: parental responsibility, and no restriction.
SEEING_LINK = Q(has_parental_responsibility=True, contact_restricted=False)


def children_of(user: object) -> QuerySet[Pupil]:
    """The children this account's carer may see, in one SQL statement (see the module's
    rules). Empty for anyone but an active carer."""
    if not is_carer_account(user):
        return Pupil.objects.none()
    links = CarerLink.objects.filter(
        SEEING_LINK, carer__user=user, pupil__school_id=F("carer__school_id")
    ).values("pupil_id")
    return Pupil.objects.filter(pk__in=links, on_roll=True)


def can_see_child(user: object, pupil: Pupil) -> bool:
    """The predicate matching ``children_of`` for one child."""
    carer = carer_of(user)
    if carer is None or not pupil.on_roll or pupil.school_id != carer.school_id:
        return False
    return CarerLink.objects.filter(SEEING_LINK, carer=carer, pupil=pupil).exists()


def access_child(actor: Actor, pupil_id: int) -> tuple[Carer, Pupil]:
    """The signed-in carer and their child, or an audited refusal (404: another family's
    child, a restricted link, a child who left and an id that does not exist all look the
    same)."""
    carer = carer_of(actor.user)
    pupil = (
        children_of(actor.user).select_related("school_class").filter(pk=pupil_id).first()
        if carer is not None
        else None
    )
    if carer is None or pupil is None:
        refuse(
            actor,
            detail=CHILD_HIDDEN,
            subject_type=Pupil._meta.label_lower,
            subject_id=pupil_id,
            pupil_id=Pupil.objects.filter(pk=pupil_id).values_list("pk", flat=True).first(),
        )
    return carer, pupil
