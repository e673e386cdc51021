"""Permission matrix rows for the child-protection file transfer.

Staff pages: the DSL of the pupil's site and the headteacher record the leaving and see the
transfer; sending the file is the DSL's (the headteacher gets 403); everyone else 404. The
receiving DSL's page needs no sign-in: with a live link everyone gets the code form, and the
download and the receipt are refused (403) until the code is given in that browser session.
"""

import datetime
import secrets
import uuid

from django.utils import timezone

from safeguarding.models import FileTransfer, PupilLeaving, TransferredFile
from safeguarding.transfers.services import code_digest, token_digest
from tests.matrix import EVERYONE, Rule
from tests.safeguarding.matrix_concerns import TRIAGES
from tests.safeguarding.transfers.helpers import NEW_SCHOOL, leaving_for
from tests.world import World


def _pupil(world: World) -> list:
    return [world.pupil.pk]


def _leaver(world: World) -> list:
    if not PupilLeaving.objects.filter(pupil=world.pupil).exists():
        leaving_for(world)
    return [world.pupil.pk]


def _live_link(world: World) -> list:
    """A fresh link for each request (no bundle is drawn: these rows are about the gate)."""
    leaving = PupilLeaving.objects.filter(pupil=world.pupil).first() or PupilLeaving.objects.create(
        pupil=world.pupil,
        left_on=timezone.localdate(),
        recorded_by=world.users["dsl"],
        **NEW_SCHOOL,
    )
    token = secrets.token_urlsafe(32)
    FileTransfer.objects.create(
        leaving=leaving,
        made_by=world.users["dsl"],
        sent_to_name=leaving.new_dsl_name,
        sent_to_email=leaving.new_dsl_email,
        storage_name=uuid.uuid4().hex,
        size=0,
        digest="0" * 64,
        token_hash=token_digest(token),
        code_hash=code_digest(token_digest(token), "ABCDEFGH"),
        expires_at=timezone.now() + datetime.timedelta(days=14),
        status="ready",
    )
    return [token]


def _transferred(world: World) -> list:
    imported = TransferredFile.objects.create(
        pupil=world.pupil,
        from_school_name="Larchfield Academy",
        digest="0" * 64,
        records={"pupil": {}, "concerns": []},
        storage_name=uuid.uuid4().hex,
        imported_by=world.users["dsl"],
    )
    return [imported.pk]


NO_ONE = frozenset()

ROWS = {
    "safeguarding:pupil_leaving": Rule(allowed=TRIAGES, args=_pupil),
    "safeguarding:pupil_transfer": Rule(allowed=TRIAGES, args=_leaver),
    "safeguarding:transfer_send": Rule(
        allowed=frozenset({"dsl"}),
        forbidden=frozenset({"headteacher"}),
        method="post",
        args=_leaver,
    ),
    # GET: the import form (the DSL); the headteacher reads but does not import.
    "safeguarding:transfer_import": Rule(
        allowed=frozenset({"dsl"}), forbidden=frozenset({"headteacher"}), args=_pupil
    ),
    "safeguarding:transferred_file": Rule(allowed=TRIAGES, args=_transferred),
    "file_transfer:receive": Rule(allowed=EVERYONE, args=_live_link, anonymous_status=200),
    "file_transfer:download": Rule(
        allowed=NO_ONE, forbidden=EVERYONE, args=_live_link, anonymous_status=403
    ),
    "file_transfer:confirm": Rule(
        allowed=NO_ONE,
        forbidden=EVERYONE,
        method="post",
        args=_live_link,
        data=lambda world: {"name": "Morgan Hale", "role": "DSL"},
        anonymous_status=403,
    ),
}
