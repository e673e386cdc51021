"""Wrong codes are limited per client address as well as per link: one address trying codes
on many links is refused after WRONG_CODES_PER_ADDRESS wrong ones within the hour, with a
clear message at the field and an audited refusal, before any link locks; another address is
not held up, and the limit passes with the hour."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from core.actor import Actor
from core.tasks import send_outbox
from dataprotection.models import AccessAction, AccessEvent
from safeguarding.models import FileTransfer, TransferLinkEmail
from safeguarding.transfers import services
from tests.conftest import client_for
from tests.factories import PupilFactory
from tests.safeguarding.transfers.helpers import autumn_term, leaving_for

NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def setting(world):
    autumn_term(world)
    with mock.patch.object(send_outbox, "apply_async"), time_machine.travel(NOW) as clock:
        yield clock


def links(world, count: int) -> list[tuple[str, str]]:
    """``count`` leavers' files sent: (receiving page, code) of each."""
    sent = []
    for _ in range(count):
        pupil = PupilFactory(school_class=world.class_a)
        leaving_for(world, pupil=pupil)
        transfer, code = services.file_transfer_send(
            actor=Actor.for_user(world.users["dsl"]), pupil=pupil
        )
        services.file_transfer_seal(transfer_id=transfer.pk)
        link = TransferLinkEmail.objects.get(transfer=transfer).link
        token = link.rstrip("/").rsplit("/", 1)[-1]
        sent.append((reverse("file_transfer:receive", args=[token]), code))
    return sent


def limited() -> int:
    return AccessEvent.objects.filter(
        action=AccessAction.DENIED, detail__contains="too many wrong codes from one address"
    ).count()


def test_many_wrong_codes_from_one_address_across_links_are_refused(world, setting):
    sent = links(world, 3)
    client = client_for(None)
    limit = services.WRONG_CODES_PER_ADDRESS
    tries = 0
    # Fewer than 5 on each link, so no link locks: only the address limit can stop this.
    while tries < limit:
        page, _ = sent[tries % len(sent)]
        response = client.post(page, {"code": "WRONG234"}, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 200
        assert "not right" in response.content.decode()
        tries += 1
    assert not FileTransfer.objects.filter(locked_at__isnull=False).exists()

    # Past the limit even the right code is not tried from that address, and nothing counts.
    page, code = sent[0]
    counted = sorted(FileTransfer.objects.values_list("wrong_codes", flat=True))
    refused = client.post(page, {"code": code}, REMOTE_ADDR=ADDRESS)
    assert refused.status_code == 200
    assert refused.context["code_form"].errors["code"] == [services.TOO_MANY_CODES]
    assert limited() == 1
    assert sorted(FileTransfer.objects.values_list("wrong_codes", flat=True)) == counted
    token = page.strip("/").rsplit("/", 1)[-1]
    assert client.get(reverse("file_transfer:download", args=[token])).status_code == 403

    # Another address is not held up by it.
    other = client_for(None)
    assert other.post(page, {"code": code}, REMOTE_ADDR="198.51.100.2").status_code == 302

    # An hour on, the address may try again.
    setting.shift(datetime.timedelta(hours=1, minutes=1))
    page, code = sent[1]
    assert client.post(page, {"code": code}, REMOTE_ADDR=ADDRESS).status_code == 302
