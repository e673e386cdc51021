"""Records shared by the child-protection file transfer's tests."""

import datetime

from core.actor import Actor
from safeguarding.transfers import services
from schools.models import Term
from schools.services import school_days_refresh
from tests.world import World

# Friday 4 December 2026; the pupil's last day.
LEFT_ON = datetime.date(2026, 12, 4)
# Five school days on: Monday 7th to Friday 11th.
DUE_ON = datetime.date(2026, 12, 11)

NEW_SCHOOL = {
    "new_school_name": "Larchfield Academy",
    "new_school_urn": "123456",
    "new_dsl_name": "Morgan Hale",
    "new_dsl_email": "dsl@larchfield.example",
}


def autumn_term(world: World) -> None:
    Term.objects.create(
        school=world.school,
        name="Autumn 2026",
        first_day=datetime.date(2026, 9, 2),
        last_day=datetime.date(2026, 12, 18),
    )
    Term.objects.create(
        school=world.school,
        name="Spring 2027",
        first_day=datetime.date(2027, 1, 5),
        last_day=datetime.date(2027, 3, 26),
    )
    school_days_refresh(school=world.school)


def leaving_for(world: World, *, left_on: datetime.date = LEFT_ON, pupil=None):
    return services.pupil_leaving_record(
        actor=Actor.for_user(world.users["dsl"]),
        pupil=pupil or world.pupil,
        left_on=left_on,
        **NEW_SCHOOL,
    )


def sent_for(world: World):
    """A leaving and its sent file: (transfer, raw token, code)."""
    from safeguarding.models import TransferLinkEmail

    leaving_for(world)
    transfer, code = services.file_transfer_send(
        actor=Actor.for_user(world.users["dsl"]), pupil=world.pupil
    )
    transfer = services.file_transfer_seal(transfer_id=transfer.pk)
    token = TransferLinkEmail.objects.get(transfer=transfer).link.rstrip("/").rsplit("/", 1)[-1]
    return transfer, token, code
