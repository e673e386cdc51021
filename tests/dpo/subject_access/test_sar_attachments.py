"""A subject access export misses nothing the school holds about the pupil: the documents
attached to the pupil's cases (listed by name, kind, type, date and who attached them, never
the files), and, with the safeguarding records when the DPO includes them, the documents
attached to concerns and referrals, each referral's responses and chases, the body-map marks,
the pupil's leaving with each sending of the child-protection file, and any file received
from a previous school. Withheld, none of those appear: only how many records are held."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.utils import timezone

from cases.models import Agreement, AgreementMethod, CaseDocument, Party
from core.documents import DocumentKind, DocumentType
from core.tasks import send_outbox
from safeguarding.models import (
    Agency,
    ConcernDocument,
    InformedHow,
    Referral,
    ReferralChase,
    ReferralResponse,
    TransferredFile,
)
from tests.cases.matrix import open_case_for
from tests.conftest import client_for
from tests.dpo.subject_access.test_sar import (
    REASON,
    choices,
    json_url,
    pdf_url,
    preview_url,
    read_pdf,
)
from tests.safeguarding.body_map.helpers import mark_on, physical_concern_for
from tests.safeguarding.matrix_concerns import concern_for
from tests.safeguarding.transfers.helpers import autumn_term, sent_for

INCLUDED = {"include_safeguarding": "on", "safeguarding_reason": REASON}
SAID = "The family are known to us; an assessment is under way"
CHASE_NOTE = "Left a message with the duty desk asking for an update"


@pytest.fixture
def dpo(world):
    return client_for(world.users["dpo"])


def _document(model, number: int, **fields):
    return model.objects.create(
        kind=DocumentKind.CONSENT_LETTER,
        original_name=f"Letter {number}.pdf",
        content_type=DocumentType.PDF,
        size=1024,
        storage_name=f"sar-test-{model.__name__}-{number}",
        **fields,
    )


def _case_documents(world):
    case = open_case_for(world)
    agreement = Agreement.objects.create(
        case=case,
        party=Party.CARERS,
        agreed_by="Dana Marsh",
        agreed_on=case.start_date,
        method=AgreementMethod.MEETING,
        recorded_by=world.users["teacher"],
    )
    _document(CaseDocument, 1, case=case, attached_by=world.users["teacher"])
    head = world.users["headteacher"]
    _document(CaseDocument, 2, case=case, agreement=agreement, attached_by=head)
    return case


def _referral_with_answers(world):
    concern = concern_for(world)
    dsl = world.users["dsl"]
    referral = Referral.objects.create(
        concern=concern, agency=Agency.SOCIAL_CARE, reference="MASH-2211", made_by=dsl
    )
    first = ReferralResponse.objects.create(
        referral=referral,
        responded_on=dt.date(2026, 3, 2),
        responded_by="Sam Patel, duty social worker",
        what_they_said="No further action",
        outcome="Closed at the front door",
        recorded_by=dsl,
    )
    ReferralResponse.objects.create(
        referral=referral,
        responded_on=dt.date(2026, 3, 3),
        responded_by="Sam Patel, duty social worker",
        what_they_said=SAID,
        outcome="Assessment",
        corrects=first,
        recorded_by=dsl,
    )
    ReferralChase.objects.create(
        referral=referral,
        chased_on=dt.date(2026, 3, 1),
        how=InformedHow.PHONE,
        spoke_to="Duty desk",
        what_was_said=CHASE_NOTE,
        next_due_on=dt.date(2026, 3, 3),
        chased_by=dsl,
    )
    _document(ConcernDocument, 1, concern=concern, attached_by=dsl)
    _document(ConcernDocument, 2, concern=concern, referral=referral, attached_by=dsl)
    return concern


# --- Documents on the pupil's cases ----------------------------------------------------------


def test_case_documents_are_listed_by_name_kind_date_and_who_attached_them(world, dpo):
    _case_documents(world)

    data = json.loads(dpo.post(json_url(world.pupil), choices()).content)
    [case] = data["cases"]
    assert [d["name"] for d in case["documents"]] == ["Letter 1.pdf", "Letter 2.pdf"]
    first, second = case["documents"]
    assert first["kind"] == "Consent letter" and first["file_type"] == "PDF"
    assert first["attached_by"] == "Teacher" and first["attached_to"] == ""
    assert second["attached_to"].startswith("Agreement: ")
    assert dt.datetime.fromisoformat(first["attached_at"]).tzinfo is not None
    # Case records are not child-protection records: listed whether or not those are included.
    assert data["safeguarding"]["status"] != "included"

    text = read_pdf(dpo.post(pdf_url(world.pupil), choices()).content)
    for part in ("Documents attached", "Letter 1.pdf", "Consent letter", "by Teacher"):
        assert part in text, part
    assert "The documents themselves are not in this export" in text


def test_the_preview_counts_the_documents_attached_to_the_cases(world, dpo):
    _case_documents(world)
    page = dpo.get(preview_url(world.pupil)).content.decode()
    assert "2 documents attached to the cases" in page
    assert "Letter 1.pdf" not in page


# --- Concern documents, referral responses and chases -----------------------------------------


def test_concern_documents_responses_and_chases_are_in_the_export_when_included(world, dpo):
    _referral_with_answers(world)

    data = json.loads(dpo.post(json_url(world.pupil), choices(**INCLUDED)).content)
    [concern] = data["safeguarding"]["concerns"]
    assert [d["name"] for d in concern["documents"]] == ["Letter 1.pdf", "Letter 2.pdf"]
    assert concern["documents"][1]["attached_to"] == "Referral: Children's social care"
    assert concern["documents"][0]["attached_by"] == "Dsl"
    [referral] = concern["referrals"]
    assert [r["what_they_said"] for r in referral["responses"]] == ["No further action", SAID]
    assert referral["responses"][0]["corrects_response_of"] is None
    assert referral["responses"][1]["corrects_response_of"] == "2026-03-02"
    [chase] = referral["chases"]
    assert chase["spoke_to"] == "Duty desk" and chase["what_was_said"] == CHASE_NOTE
    assert chase["how"] == InformedHow.PHONE.label and chase["chased_by"] == "Dsl"

    text = read_pdf(dpo.post(pdf_url(world.pupil), choices(**INCLUDED)).content)
    for part in (
        "responses and chases",
        SAID,
        "corrects the response of 02/03/2026",
        CHASE_NOTE,
        "Duty desk",
        "Letter 2.pdf (Referral: Children's social care)",
    ):
        assert part in text, part


def test_withheld_safeguarding_holds_no_concern_document_response_or_chase(world, dpo):
    _referral_with_answers(world)

    for url in (json_url(world.pupil), pdf_url(world.pupil)):
        response = dpo.post(url, choices())
        body = response.content.decode() if url.endswith("json/") else read_pdf(response.content)
        for part in ("Letter 1.pdf", SAID, CHASE_NOTE, "Duty desk", "MASH-2211"):
            assert part not in body, (url, part)


def test_withheld_safeguarding_holds_no_body_map_mark(world, dpo):
    concern = physical_concern_for(world)
    mark_on(world, concern, colour="purple")
    data = json.loads(dpo.post(json_url(world.pupil), choices()).content)
    assert data["safeguarding"]["concerns"] == []
    assert "I bumped it on the door." not in read_pdf(
        dpo.post(pdf_url(world.pupil), choices()).content
    )


# --- The child-protection file transfer --------------------------------------------------------


@pytest.fixture
def transfer(world):
    autumn_term(world)
    with mock.patch.object(send_outbox, "apply_async"):
        concern_for(world)
        sent, _, _ = sent_for(world)
    return sent


def test_the_leaving_and_each_sending_of_the_file_are_in_the_export_when_included(
    world, dpo, transfer
):
    transfer.received_at = timezone.now()
    transfer.received_by_name = "Morgan Hale"
    transfer.received_by_role = "DSL"
    transfer.save(update_fields=["received_at", "received_by_name", "received_by_role"])

    data = json.loads(dpo.post(json_url(world.pupil), choices(**INCLUDED)).content)
    [leaving] = data["safeguarding"]["leavings"]
    assert leaving["new_school_name"] == "Larchfield Academy"
    assert leaving["new_school_urn"] == "123456" and leaving["new_dsl_name"] == "Morgan Hale"
    [sent] = leaving["transfers"]
    assert sent["made_by"] == "Dsl" and sent["digest"] == transfer.digest
    assert sent["received_by_name"] == "Morgan Hale"
    # Neither the link nor the code is held, so neither can be exported.
    assert "token" not in json.dumps(sent) and "code" not in json.dumps(sent)
    assert data["safeguarding"]["records_held"] == 2  # the concern and the leaving

    text = read_pdf(dpo.post(pdf_url(world.pupil), choices(**INCLUDED)).content)
    for part in ("child-protection file sent", "Larchfield Academy", transfer.digest[:16]):
        assert part in text, part


def test_a_withheld_export_counts_the_leaving_but_shows_nothing_of_it(world, dpo, transfer):
    data = json.loads(dpo.post(json_url(world.pupil), choices()).content)
    assert data["safeguarding"]["status"] == "withheld"
    assert data["safeguarding"]["records_held"] == 2
    assert data["safeguarding"]["leavings"] == []
    assert "Larchfield" not in read_pdf(dpo.post(pdf_url(world.pupil), choices()).content)


def test_a_file_received_from_a_previous_school_is_in_the_export_when_included(world, dpo):
    TransferredFile.objects.create(
        pupil=world.pupil,
        from_school_name="Rowan Primary",
        from_school_urn="654321",
        digest="ab" * 32,
        records={"concerns": [{"id": 1}, {"id": 2}]},
        storage_name="sar-test-received",
        imported_by=world.users["dsl"],
    )

    withheld = json.loads(dpo.post(json_url(world.pupil), choices()).content)
    assert withheld["safeguarding"]["records_held"] == 1
    assert withheld["safeguarding"]["transferred_files"] == []

    data = json.loads(dpo.post(json_url(world.pupil), choices(**INCLUDED)).content)
    [received] = data["safeguarding"]["transferred_files"]
    assert received["from_school_name"] == "Rowan Primary"
    assert received["concerns_in_it"] == 2 and received["imported_by"] == "Dsl"
    text = read_pdf(dpo.post(pdf_url(world.pupil), choices(**INCLUDED)).content)
    assert "received from a previous school" in text and "Rowan Primary" in text
