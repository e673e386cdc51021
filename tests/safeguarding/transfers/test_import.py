"""A school running this service imports a received bundle into its new pupil's file: the
whole bundle's SHA-256 (shown on the receiving page) and each part's digest in the manifest
must match, so a tampered bundle is refused and nothing is written; the records are shown
read-only as "transferred from <school>"."""

import io
import json
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.documents import documents_storage
from core.tasks import send_outbox
from dataprotection.models import AccessAction, AccessEvent
from safeguarding.models import TransferredFile
from safeguarding.transfers.bundle import sha256
from tests.conftest import client_for
from tests.safeguarding.matrix_concerns import concern_for
from tests.safeguarding.transfers.helpers import autumn_term, sent_for


@pytest.fixture(autouse=True)
def setting(world):
    autumn_term(world)
    with mock.patch.object(send_outbox, "apply_async"):
        yield


def received_bundle(world) -> tuple[bytes, str]:
    concern_for(world)
    transfer, _, _ = sent_for(world)
    with documents_storage().open(transfer.storage_name, "rb") as handle:
        return handle.read(), transfer.digest


def post_import(world, data: bytes, digest: str, *, pupil=None):
    url = reverse("safeguarding:transfer_import", args=[(pupil or world.other_pupil).pk])
    upload = SimpleUploadedFile("child-protection-file.zip", data, "application/zip")
    return client_for(world.users["dsl"]).post(url, {"bundle": upload, "digest": digest})


def tampered(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as changed:
        for name in source.namelist():
            part = source.read(name)
            if name == "records.json":
                part = part.replace(b"not eaten", b"eaten well")
            changed.writestr(name, part)
    return buffer.getvalue()


def test_a_verified_bundle_is_imported_and_shown_read_only(world):
    data, digest = received_bundle(world)
    response = post_import(world, data, digest)
    imported = TransferredFile.objects.get()
    assert response.status_code == 302 and response.url == imported.get_absolute_url()
    assert (imported.pupil, imported.from_school_name, imported.digest) == (
        world.other_pupil,
        "Heathergate School",
        digest,
    )
    assert AccessEvent.objects.filter(
        action=AccessAction.IMPORT, pupil_id=world.other_pupil.pk
    ).exists()
    page = client_for(world.users["dsl"]).get(response.url).content.decode()
    assert "Transferred from Heathergate School" in page
    assert "Said they had not eaten since yesterday." in page
    assert "<form" not in page.split("<main", 1)[-1]


def test_a_tampered_bundle_is_refused(world):
    data, _ = received_bundle(world)
    changed = tampered(data)
    response = post_import(world, changed, sha256(changed))
    assert response.status_code == 200
    assert "changed" in " ".join(response.context["form"].errors["bundle"])
    assert not TransferredFile.objects.exists()


def test_a_bundle_not_matching_the_digest_given_is_refused(world):
    data, digest = received_bundle(world)
    response = post_import(world, data + b"x", digest)
    assert "digest" in response.context["form"].errors
    assert not TransferredFile.objects.exists()


def test_something_that_is_not_a_bundle_is_refused(world):
    response = post_import(world, b"%PDF-1.7 not a zip", sha256(b"%PDF-1.7 not a zip"))
    assert "bundle" in response.context["form"].errors
    assert not TransferredFile.objects.exists()


def test_the_manifest_must_name_every_part(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("manifest.json", json.dumps({"format": "child-protection-file/1"}))
    data = buffer.getvalue()
    response = post_import(world, data, sha256(data))
    assert "bundle" in response.context["form"].errors
