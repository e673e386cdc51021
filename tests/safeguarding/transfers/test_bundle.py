"""The DSL seals a leaver's file: the chronology PDF and a JSON of the records (concerns,
actions, decisions, referrals, addenda, body marks, the documents list), each with a SHA-256
digest and one of the whole bundle, stored in the documents storage. A one-time link that
expires after 14 days goes by email to the receiving DSL (stored only as a digest, saying only
"a child-protection file from <school>"); a code to give by phone is shown to the DSL."""

import datetime
import hashlib
import io
import json
import zipfile
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from core.documents import documents_storage
from core.outbox import send_pending
from core.tasks import send_outbox
from safeguarding.models import (
    Action,
    Addendum,
    Decision,
    FileTransfer,
    Referral,
    TransferLinkEmail,
)
from safeguarding.transfers import services
from tests.conftest import client_for
from tests.safeguarding.matrix_concerns import concern_for
from tests.safeguarding.transfers.helpers import autumn_term, leaving_for, sent_for


@pytest.fixture(autouse=True)
def setting(world):
    autumn_term(world)
    with mock.patch.object(send_outbox, "apply_async"):
        yield


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bundle_of(transfer: FileTransfer) -> zipfile.ZipFile:
    with documents_storage().open(transfer.storage_name, "rb") as handle:
        data = handle.read()
    assert sha(data) == transfer.digest
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_bundle_holds_the_pdf_and_the_records_each_with_its_digest(world):
    concern = concern_for(world)
    dsl = world.users["dsl"]
    Action.objects.create(concern=concern, what="Phone the family", who=dsl, recorded_by=dsl)
    Decision.objects.create(concern=concern, decision="Refer", reason="Risk", decided_by=dsl)
    Referral.objects.create(
        concern=concern, agency="social_care", referred_on=datetime.date(2026, 12, 1), made_by=dsl
    )
    Addendum.objects.create(concern=concern, text="Later: more detail.", added_by=dsl)
    transfer, _, _ = sent_for(world)

    bundle = bundle_of(transfer)
    assert sorted(bundle.namelist()) == ["chronology.pdf", "manifest.json", "records.json"]
    manifest = json.loads(bundle.read("manifest.json"))
    for part in ("chronology.pdf", "records.json"):
        assert manifest["parts"][part] == sha(bundle.read(part)) == transfer.part_digests[part]
    assert bundle.read("chronology.pdf").startswith(b"%PDF")
    assert manifest["from_school"] == "Heathergate School"
    records = json.loads(bundle.read("records.json"))
    assert records["pupil"]["upn"] == world.pupil.upn
    (exported,) = records["concerns"]
    assert exported["what_happened"] == concern.what_happened
    for kind in ("actions", "decisions", "referrals", "addenda"):
        assert len(exported[kind]) == 1, kind
    assert exported["body_marks"] == [] and exported["documents"] == []
    assert exported["actions"][0]["who"] == dsl.full_name


def test_the_link_is_one_time_and_kept_only_as_a_digest(world):
    transfer, token, code = sent_for(world)
    assert transfer.token_hash == sha(token.encode()) and token not in transfer.token_hash
    assert 6 <= len(code) <= 8 and code not in transfer.code_hash
    assert transfer.expires_at - timezone.now() > datetime.timedelta(days=13, hours=23)
    assert (transfer.sent_to_name, transfer.sent_to_email) == (
        "Morgan Hale",
        "dsl@larchfield.example",
    )


def test_the_email_names_only_the_school_and_forgets_the_link_once_sent(world):
    _, token, code = sent_for(world)
    send_pending(TransferLinkEmail)
    (email,) = mail.outbox
    assert email.to == ["dsl@larchfield.example"]
    assert email.subject == "A child-protection file from Heathergate School"
    assert token in email.body and code not in email.body
    for personal in (world.pupil.first_name, world.pupil.last_name, world.pupil.upn):
        assert personal not in email.body + email.subject
    assert TransferLinkEmail.objects.get().link == ""


def test_no_file_is_sent_before_a_leaving_is_recorded(world):
    with pytest.raises(ValidationError):
        services.file_transfer_send(actor=Actor.for_user(world.users["dsl"]), pupil=world.pupil)
    assert not FileTransfer.objects.exists() and not TransferLinkEmail.objects.exists()


def test_the_dsl_sends_from_the_page_and_sees_the_code_once(world):
    leaving_for(world)
    client = client_for(world.users["dsl"])
    response = client.post(reverse("safeguarding:transfer_send", args=[world.pupil.pk]))
    assert response.status_code == 200
    assert response.context["code"] in response.content.decode()
    page = client.get(reverse("safeguarding:pupil_transfer", args=[world.pupil.pk]))
    assert response.context["code"] not in page.content.decode()
    assert "Morgan Hale" in page.content.decode() and "Being prepared" in page.content.decode()


def test_the_transfer_page_costs_the_same_whatever_the_number_sent(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sent_for(world)
    client = client_for(world.users["dsl"])
    url = reverse("safeguarding:pupil_transfer", args=[world.pupil.pk])
    client.get(url)  # the first request of a session fills caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(2):
        services.file_transfer_send(actor=Actor.for_user(world.users["dsl"]), pupil=world.pupil)
    with CaptureQueriesContext(connection) as three:
        page = client.get(url)
    assert page.content.decode().count('class="transfer-row ') == 3
    assert len(three) == len(one)
