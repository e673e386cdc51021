"""Permission matrix rows for carers' portal accounts: the invitation link, the carer's
messages, and staff's pages for a pupil's carers' accounts."""

from tests.matrix import CARERS, SEES_THE_PUPIL, Rule

# Who sees carers' contact details (and so manages their portal accounts).
CONTACTS_FAMILIES = SEES_THE_PUPIL - {"it_staff"}
DSL_TEAM = frozenset({"dsl"})


def _open_invitation(world) -> str:
    from django.utils import timezone

    from families.accounts.services import token_digest
    from families.models import CarerInvitation

    token = "matrix-invitation-token"
    CarerInvitation.objects.get_or_create(
        token_hash=token_digest(token),
        defaults={
            "carer": world.carer,
            "pupil": world.pupil,
            "invited_by": world.users["teacher"],
            "expires_at": timezone.now() + timezone.timedelta(days=7),
        },
    )
    return token


ROWS: dict[str, Rule] = {
    # Public: the link is the proof; carers may open it, staff signed in may not.
    "families:invitation_accept": Rule(
        allowed=CARERS, args=lambda world: [_open_invitation(world)], anonymous_status=200
    ),
    "families:messages": Rule(allowed=CARERS),
    "families:pupil_portal": Rule(
        allowed=CONTACTS_FAMILIES,
        forbidden=frozenset({"it_staff"}),
        args=lambda world: [world.pupil.pk],
    ),
    # Inviting Dana, who has an account already: refused with a message, then redirected.
    "families:carer_invite": Rule(
        allowed=CONTACTS_FAMILIES,
        forbidden=frozenset({"it_staff"}),
        method="post",
        args=lambda world: [world.pupil.pk, world.carer.pk],
        allowed_status=302,
    ),
    "families:carer_end": Rule(
        allowed=CONTACTS_FAMILIES,
        forbidden=frozenset({"it_staff"}),
        args=lambda world: [world.pupil.pk, world.carer.pk],
    ),
    "families:carer_restriction": Rule(
        allowed=DSL_TEAM,
        forbidden=CONTACTS_FAMILIES - DSL_TEAM | {"it_staff"},
        args=lambda world: [world.pupil.pk, world.carer.pk],
    ),
}
