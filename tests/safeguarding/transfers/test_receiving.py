"""The receiving DSL's page, without signing in: the link's token and the code are its gate.
A right code opens the download and the receipt; 5 wrong codes lock the link; a receipt
(name, role) ends the link and clears the sending school's flag. Each refusal is clear,
writes nothing but its audit row, and no staff page is reachable from the page."""

import datetime
import hashlib
import re
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.tasks import send_outbox
from dataprotection.models import AccessAction, AccessEvent
from safeguarding.models import FileTransfer, TransferFlag
from tests.conftest import client_for
from tests.safeguarding.transfers.helpers import autumn_term, sent_for


@pytest.fixture(autouse=True)
def setting(world):
    autumn_term(world)
    with mock.patch.object(send_outbox, "apply_async"):
        yield


def urls(token: str) -> dict[str, str]:
    return {
        name: reverse(f"file_transfer:{name}", args=[token])
        for name in ("receive", "download", "confirm")
    }


def denials() -> int:
    return AccessEvent.objects.filter(action=AccessAction.DENIED).count()


def opened(world):
    transfer, token, code = sent_for(world)
    client = client_for(None)
    response = client.post(urls(token)["receive"], {"code": code})
    assert response.status_code == 302
    return transfer, token, client


def test_the_page_asks_for_the_code_and_shows_nothing_of_the_child_or_the_staff_pages(world):
    _, token, _ = sent_for(world)
    response = client_for(None).get(urls(token)["receive"])
    page = response.content.decode()
    assert response.status_code == 200 and 'name="code"' in page
    assert "Heathergate School" in page
    for personal in (world.pupil.first_name, world.pupil.last_name, world.pupil.upn):
        assert personal not in page
    links = re.findall(r'(?:href|action)="([^"]+)"', page)
    assert all(link.startswith(("/file-transfer/", "/static/")) for link in links), links
    # The address holds the token and nothing else: no pupil id, no name.
    assert urls(token)["receive"] == f"/file-transfer/{token}/"


def test_the_right_code_opens_the_download_and_the_receipt_clears_the_flag(world):
    transfer, token, client = opened(world)
    download = client.get(urls(token)["download"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    data = b"".join(download.streaming_content)
    assert hashlib.sha256(data).hexdigest() == transfer.digest
    assert AccessEvent.objects.filter(action=AccessAction.EXPORT, pupil_id=world.pupil.pk).exists()

    response = client.post(urls(token)["confirm"], {"name": "Morgan Hale", "role": "DSL"})
    assert response.status_code == 200 and "received" in response.content.decode().lower()
    transfer.refresh_from_db()
    assert (transfer.received_by_name, transfer.received_by_role) == ("Morgan Hale", "DSL")
    assert transfer.received_at is not None
    assert TransferFlag.objects.get().resolved_at is not None

    # One time: the link no longer works, for anyone.
    before = denials()
    again = client_for(None).get(urls(token)["receive"])
    assert again.status_code == 410 and "already" in again.content.decode()
    assert client.get(urls(token)["download"]).status_code == 410
    assert denials() == before + 2


def test_the_sending_school_sees_when_it_was_received_and_by_whom(world):
    _, token, client = opened(world)
    client.get(urls(token)["download"])
    client.post(urls(token)["confirm"], {"name": "Morgan Hale", "role": "DSL"})
    page = client_for(world.users["dsl"]).get(
        reverse("safeguarding:pupil_transfer", args=[world.pupil.pk])
    )
    assert "by Morgan Hale, DSL" in page.content.decode()


def test_five_wrong_codes_lock_the_link(world):
    transfer, token, code = sent_for(world)
    client = client_for(None)
    for attempt in range(5):
        before = denials()
        response = client.post(urls(token)["receive"], {"code": "WRONG123"})
        assert denials() == before + 1
        assert response.status_code in (200, 410)
        if attempt < 4:
            assert "not right" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.wrong_codes == 5 and transfer.locked_at is not None
    locked = client.post(urls(token)["receive"], {"code": code})
    assert locked.status_code == 410 and "locked" in locked.content.decode()


def test_download_and_receipt_need_the_code_first(world):
    transfer, token, _ = sent_for(world)
    client = client_for(None)
    before = denials()
    assert client.get(urls(token)["download"]).status_code == 403
    response = client.post(urls(token)["confirm"], {"name": "Morgan Hale", "role": "DSL"})
    assert response.status_code == 403
    assert denials() == before + 2
    transfer.refresh_from_db()
    assert transfer.received_at is None and transfer.downloaded_at is None


def test_an_expired_link_is_refused(world):
    _, token, code = sent_for(world)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        response = client_for(None).post(urls(token)["receive"], {"code": code})
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_an_unknown_link_is_not_found_and_audited(world):
    before = denials()
    assert client_for(None).get(urls("x" * 43)["receive"]).status_code == 404
    assert denials() == before + 1


def test_the_receipt_needs_a_name_and_a_role(world):
    _, token, client = opened(world)
    client.get(urls(token)["download"])
    response = client.post(urls(token)["confirm"], {"name": "", "role": ""})
    assert response.status_code == 200
    assert set(response.context["receipt_form"].errors) == {"name", "role"}
    assert FileTransfer.objects.get().received_at is None


def test_sending_again_ends_the_earlier_link(world):
    from core.actor import Actor
    from safeguarding.transfers import services

    _, token, code = sent_for(world)
    services.file_transfer_send(actor=Actor.for_user(world.users["dsl"]), pupil=world.pupil)
    response = client_for(None).post(urls(token)["receive"], {"code": code})
    assert response.status_code == 410 and "expired" in response.content.decode()
