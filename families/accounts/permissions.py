"""Staff's gates for carers' portal accounts. Who may invite a carer or end their account is
who may see carers' contact details (schools.permissions.access_carer_contacts: the roles that
contact families); marking a carer "no contact / restricted" is for the DSL team covering the
pupil."""

from typing import Literal

from core.actor import Actor
from dataprotection.refusals import refuse
from schools.models import CarerLink, Pupil
from schools.permissions import DSL_ROLES, PupilAccess, access_pupil

CarerAction = Literal["read", "act", "restrict"]
PORTAL_HIDDEN = "pupil not visible to this person (family portal)"


def can_restrict_carers(access: PupilAccess) -> bool:
    return bool(access.roles & DSL_ROLES)


def access_family_portal(actor: Actor, pk: int) -> tuple[Pupil, PupilAccess]:
    """The pupil whose carers' portal accounts this person manages: 404 as for the pupil,
    403 for those who see the pupil but do not contact families."""
    pupil, access = access_pupil(actor, pk, refusal=PORTAL_HIDDEN)
    if not access.can_view_carer_contacts:
        refuse(
            actor,
            detail="may not manage carers' portal accounts",
            status=403,
            subject=pupil,
            pupil_id=pupil.pk,
        )
    return pupil, access


def access_carer_link(
    actor: Actor, pk: int, carer_pk: int, *, to: CarerAction = "act"
) -> tuple[Pupil, CarerLink]:
    """One carer's link to the pupil, for inviting, ending an account or (the DSL team)
    restricting; 404 for a carer who is not this pupil's."""
    pupil, access = access_family_portal(actor, pk)
    link = (
        CarerLink.objects.select_related("carer", "carer__user", "carer__school")
        .filter(pupil=pupil, carer_id=carer_pk)
        .first()
    )
    if link is None:
        refuse(
            actor,
            detail="carer not linked to this pupil",
            subject_type="schools.carer",
            subject_id=carer_pk,
            pupil_id=pupil.pk,
        )
    if to == "restrict" and not can_restrict_carers(access):
        refuse(
            actor,
            detail="only the DSL team restricts a carer's contact",
            status=403,
            subject=link,
            pupil_id=pupil.pk,
        )
    return pupil, link
