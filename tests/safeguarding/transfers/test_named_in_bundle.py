"""A leaver named in a concern about another pupil: their child-protection file holds that
concern as the chronology holds it (when, category, urgency, status, who named them, when and
why), never the other child's name or the concern's account. The receiving school imports it
with the rest, read-only, and the digests still guard it."""

import datetime
import io
import json
import zipfile
from unittest import mock

import pytest
from django.utils import timezone

from core.documents import documents_storage
from core.tasks import send_outbox
from safeguarding.models import Concern, ConcernPupil, TransferredFile, Urgency
from safeguarding.services import concern_categories_ensure
from safeguarding.transfers.bundle import sha256
from tests.conftest import client_for
from tests.factories import PupilFactory
from tests.pdf import pdf_text
from tests.safeguarding.transfers.helpers import autumn_term, sent_for
from tests.safeguarding.transfers.test_bundle import bundle_of
from tests.safeguarding.transfers.test_import import post_import

ACCOUNT = "Jude pushed a younger child near the gate and took their lunch."
WHY = "Jude Penrose said Ellis saw it happen"


@pytest.fixture(autouse=True)
def setting(world):
    autumn_term(world)
    with mock.patch.object(send_outbox, "apply_async"):
        yield


def named_in_a_concern_about_jude(world) -> Concern:
    """A concern about Jude Penrose naming Ellis Marsh (the leaver), after it was raised."""
    concern = Concern.objects.create(
        pupil=world.other_pupil,
        category=concern_categories_ensure(school=world.school)[0],
        urgency=Urgency.HIGH,
        what_happened=ACCOUNT,
        happened_at=timezone.now() - datetime.timedelta(hours=3),
        raised_by=world.users["teacher"],
    )
    ConcernPupil.objects.create(
        concern=concern, pupil=world.pupil, added_by=world.users["dsl"], reason=WHY
    )
    return concern


def leak_free(text: str) -> None:
    for word in ("Jude", "Penrose", "younger child", "took their lunch"):
        assert word not in text, word


def test_the_bundle_holds_the_naming_without_the_other_childs_name_or_account(world):
    concern = named_in_a_concern_about_jude(world)
    transfer, _, _ = sent_for(world)

    bundle = bundle_of(transfer)
    raw = bundle.read("records.json").decode()
    records = json.loads(raw)
    assert records["concerns"] == []
    (entry,) = records["named_in_concerns"]
    assert entry["about"] == "another pupil"
    assert entry["category"] == concern.category.name
    assert entry["urgency"] == "High"
    assert entry["status"] == concern.get_status_display()
    assert entry["raised_at"] == concern.raised_at.isoformat()
    assert entry["named_by"] == "Dsl"
    assert entry["why"] == "another pupil said Ellis saw it happen"
    leak_free(raw)
    pdf = " ".join(pdf_text(bundle.read("chronology.pdf")).split())
    assert "Named in a concern about another pupil" in pdf
    leak_free(pdf)


def received(world) -> tuple[bytes, str]:
    named_in_a_concern_about_jude(world)
    transfer, _, _ = sent_for(world)
    with documents_storage().open(transfer.storage_name, "rb") as handle:
        return handle.read(), transfer.digest


def test_the_receiving_school_imports_the_naming_and_shows_it_read_only(world):
    data, digest = received(world)
    newcomer = PupilFactory(school_class=world.class_a, first_name="Ellis", last_name="Marsh")
    response = post_import(world, data, digest, pupil=newcomer)
    imported = TransferredFile.objects.get()
    assert response.status_code == 302 and response.url == imported.get_absolute_url()
    assert imported.digest == digest == sha256(data)
    page = client_for(world.users["dsl"]).get(response.url).content.decode()
    main = page.split("<main", 1)[-1]
    assert "Named in a concern about another pupil" in main
    assert "another pupil said Ellis saw it happen" in main
    assert "<form" not in main
    leak_free(main)


def test_a_bundle_with_a_changed_naming_is_refused(world):
    data, _ = received(world)
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as changed:
        for name in source.namelist():
            part = source.read(name)
            if name == "records.json":
                part = part.replace(b"saw it happen", b"did it himself")
            changed.writestr(name, part)
    changed_data = buffer.getvalue()
    response = post_import(world, changed_data, sha256(changed_data))
    assert "changed" in " ".join(response.context["form"].errors["bundle"])
    assert not TransferredFile.objects.exists()
