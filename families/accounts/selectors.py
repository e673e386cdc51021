"""Reads for carers' portal accounts: each carer's portal status on a pupil's page, and the
messages the school sent a carer. A fixed number of queries whatever the rows."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from contacts.models import FamilyMessageDelivery
from families.models import CarerAccountEnding, CarerInvitation
from families.permissions import carer_of, children_of
from schools.models import CarerLink, Pupil


@dataclass(frozen=True, slots=True)
class PortalStatus:
    link: CarerLink
    invitation: CarerInvitation | None  # the latest
    ending: CarerAccountEnding | None  # the latest
    active: bool  # has an account that can sign in
    last_sign_in: object  # datetime or None


def portal_statuses(pupil: Pupil) -> list[PortalStatus]:
    """Each carer of the pupil, with their portal account's state: three statements."""
    links = (
        CarerLink.objects.filter(pupil=pupil)
        .select_related("carer", "carer__user", "restricted_by")
        .prefetch_related(
            Prefetch(
                "carer__portal_invitations",
                queryset=CarerInvitation.objects.select_related("invited_by").order_by(
                    "-invited_at", "-id"
                ),
            ),
            Prefetch(
                "carer__portal_endings",
                queryset=CarerAccountEnding.objects.select_related("ended_by").order_by(
                    "-ended_at", "-id"
                ),
            ),
        )
        .order_by("priority", "id")
    )
    statuses = []
    for link in links:
        user = link.carer.user
        invitations = list(link.carer.portal_invitations.all())
        endings = list(link.carer.portal_endings.all())
        statuses.append(
            PortalStatus(
                link=link,
                invitation=invitations[0] if invitations else None,
                ending=endings[0] if endings else None,
                active=bool(user is not None and user.is_active),
                last_sign_in=user.last_login if user is not None else None,
            )
        )
    return statuses


def messages_for_carer(user: object) -> QuerySet[FamilyMessageDelivery]:
    """The messages the school sent this carer, newest first: only copies sent to them, about
    children they may see now (none about a child they are restricted from, or who left)."""
    carer = carer_of(user)
    if carer is None:
        return FamilyMessageDelivery.objects.none()
    return (
        FamilyMessageDelivery.objects.filter(
            carer=carer, pupil_id__in=children_of(user).values("pk")
        )
        .select_related("message")
        .order_by("-message__created_at", "-message_id")
    )
