"""Permission matrix rows for subject access (policy section 5; UK GDPR right of access).

Only the Data Protection Officer of the pupil's school may find a pupil, preview what is held
and download it. Everyone else, the headteacher included (see dpo/subject_access/permissions.py
for why), is told the pages do not exist (404); anonymous visitors are sent to sign in.
"""

import datetime

from core.actor import Actor
from schools.calendar import today
from tests.matrix import Rule
from tests.world import World

DPO = frozenset({"dpo"})


def _pupil(world: World) -> list:
    return [world.pupil.pk]


def _choices(world: World) -> dict:
    received = today() - datetime.timedelta(days=3)
    return {"requested_by": "Dana Marsh (mother)", "received_on": f"{received:%d/%m/%Y}"}


def _request(world: World) -> list:
    from dpo.subject_access.services import subject_access_request_log

    sar = subject_access_request_log(
        actor=Actor.for_user(world.users["dpo"]),
        pupil=world.pupil,
        requested_by="Parent: Ms A",
        received_on=today() - datetime.timedelta(days=3),
    )
    return [sar.pk]


ROWS = {
    "subject_access:start": Rule(allowed=DPO),
    "subject_access:preview": Rule(allowed=DPO, args=_pupil),
    "subject_access:pdf": Rule(allowed=DPO, method="post", args=_pupil, data=_choices),
    "subject_access:json": Rule(allowed=DPO, method="post", args=_pupil, data=_choices),
    "subject_access:request_log": Rule(
        allowed=DPO, method="post", args=_pupil, data=_choices, allowed_status=302
    ),
    "subject_access:request_list": Rule(allowed=DPO),
    "subject_access:request_detail": Rule(allowed=DPO, args=_request),
    "subject_access:request_mark_sent": Rule(
        allowed=DPO, method="post", args=_request, allowed_status=302
    ),
}
