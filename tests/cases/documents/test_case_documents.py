"""Documents on a case and its agreements: attached by those who work on the case, read by
those who read it, checked by content, kept under a random name, handed back only through the
gate, and deleted only when retention anonymises the case."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.documents.permissions import access_case_document
from cases.models import Agreement, AgreementMethod, CaseDocument, Party, Status
from core.documents import DocumentKind
from dataprotection.models import AccessAction, AccessEvent
from dpo.models import ItemStatus, RetentionKind, RetentionReviewItem
from dpo.retention.services import retention_item_anonymise
from tests.cases.matrix import open_case_for
from tests.conftest import client_for
from tests.core.test_documents import PDF, PNG
from tests.gate_checks import actor, refused


def attach_url(case) -> str:
    return reverse("cases:case_document_attach", args=[case.pk])


def pdf(name: str = "Consent letter.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def post(world, persona: str, case, **data):
    payload = {"document-kind": DocumentKind.CONSENT_LETTER, "document-file": pdf()}
    payload.update({f"document-{key}": value for key, value in data.items()})
    return client_for(world.users[persona]).post(attach_url(case), payload)


def stored_files() -> list[Path]:
    root = Path(storages["documents"].location)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_teacher_attaches_a_consent_letter_to_the_case(world):
    case = open_case_for(world)

    response = post(world, "teacher", case)

    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert document.case == case and document.agreement is None
    assert document.original_name == "Consent letter.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert document.attached_by == world.users["teacher"]
    # Stored under a random name that says nothing of the file or the pupil.
    assert document.storage_name != document.original_name
    assert re.fullmatch(r"[0-9a-f]{32}", document.storage_name)
    [stored] = stored_files()
    assert stored.name == document.storage_name and stored.read_bytes() == PDF
    event = AccessEvent.objects.get(action=AccessAction.CREATE, subject_type="cases.casedocument")
    assert event.subject_id == str(document.pk) and event.pupil_id == world.pupil.pk
    assert "Consent" not in event.detail


def test_a_document_attaches_to_one_of_the_cases_agreements(world):
    case = open_case_for(world)
    agreement = Agreement.objects.create(
        case=case,
        party=Party.MEDICAL,
        agreed_by="Dr Hale, GP",
        agreed_on=datetime.date(2026, 11, 2),
        method=AgreementMethod.LETTER,
        recorded_by=world.users["teacher"],
    )

    post(world, "teacher", case, agreement=agreement.pk, kind=DocumentKind.MEDICAL_ADVICE)

    assert CaseDocument.objects.get().agreement == agreement


def test_an_agreement_of_another_case_is_refused_at_its_field(world):
    case = open_case_for(world)
    other_case = open_case_for(world, pupil=world.other_pupil)
    foreign = Agreement.objects.create(
        case=other_case,
        party=Party.CARERS,
        agreed_by="Parent",
        agreed_on=datetime.date(2026, 11, 2),
        method=AgreementMethod.PHONE,
        recorded_by=world.users["teacher"],
    )

    response = post(world, "teacher", case, agreement=foreign.pk)

    assert response.status_code == 200
    assert response.context["form"].errors["agreement"]
    assert not CaseDocument.objects.exists() and not stored_files()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf(content=PNG), "not a PDF"),
        (lambda: pdf("tool.exe"), "cannot be attached"),
    ],
)
def test_a_refused_file_is_shown_at_the_field_and_nothing_is_written(world, upload, message):
    case = open_case_for(world)

    response = post(world, "teacher", case, file=upload())

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert message in response.content.decode()
    assert not CaseDocument.objects.exists() and not stored_files()
    assert not AccessEvent.objects.filter(action=AccessAction.CREATE).exists()


def test_a_file_over_the_limit_is_refused_at_the_field(world, settings):
    settings.DOCUMENT_MAX_MB = 1
    case = open_case_for(world)

    response = post(world, "teacher", case, file=pdf(content=PDF + b"0" * (1024 * 1024)))

    assert "too big" in " ".join(response.context["form"].errors["file"])
    assert not CaseDocument.objects.exists() and not stored_files()


def test_a_closed_case_takes_no_more_documents(world):
    case = open_case_for(world)
    case.status = Status.CLOSED
    case.outcome = "Back in class."
    case.actual_return_date = datetime.date(2026, 11, 20)
    case.closed_at = timezone.now()
    case.save()

    response = post(world, "teacher", case)

    assert response.status_code == 200
    assert "closed" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_a_replacement_is_a_new_document_and_the_old_one_stays(world):
    case = open_case_for(world)
    post(world, "teacher", case)
    post(world, "teacher", case, file=pdf("Consent letter (signed).pdf"))

    assert list(CaseDocument.objects.values_list("original_name", flat=True)) == [
        "Consent letter.pdf",
        "Consent letter (signed).pdf",
    ]
    assert len(stored_files()) == 2


def test_the_dsl_who_reads_the_case_downloads_it_as_an_attachment_and_it_is_audited(world):
    case = open_case_for(world)
    post(world, "teacher", case)
    document = CaseDocument.objects.get()
    url = reverse("cases:case_document_download", args=[document.pk])

    response = client_for(world.users["dsl"]).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Consent letter.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # Only ids in the address: nothing of the file's name or the pupil.
    assert url == f"/cases/documents/{document.pk}/"
    event = AccessEvent.objects.get(action=AccessAction.EXPORT)
    assert event.subject_type == "cases.casedocument" and event.subject_id == str(document.pk)
    assert event.pupil_id == world.pupil.pk and event.user_id == world.users["dsl"].pk


def test_the_download_gate_refuses_with_one_denial(world):
    case = open_case_for(world)
    post(world, "teacher", case)
    document = CaseDocument.objects.get()

    denial = refused(404, access_case_document, actor(world, "other_teacher"), document.pk)
    # Refused by the case's own gate: the one denial names the case the document belongs to
    # (ids differ on PostgreSQL, whose sequences are not reset between tests).
    assert denial.subject_id == str(document.case_id)
    refused(404, access_case_document, actor(world, "teacher"), document.pk + 999)
    assert access_case_document(actor(world, "dsl"), document.pk) == document


def test_the_case_page_lists_its_documents_by_name_with_who_attached_them(world):
    case = open_case_for(world)
    post(world, "teacher", case)
    document = CaseDocument.objects.get()

    page = client_for(world.users["dsl"]).get(case.get_absolute_url()).content.decode()

    assert "Consent letter.pdf" in page
    assert reverse("cases:case_document_download", args=[document.pk]) in page
    assert world.users["teacher"].get_full_name() in page
    assert attach_url(case) not in page  # the DSL reads the case, does not work on it
    teacher_page = client_for(world.users["teacher"]).get(case.get_absolute_url())
    assert attach_url(case) in teacher_page.content.decode()


def _closed_and_approved(world, case) -> RetentionReviewItem:
    case.status = Status.CLOSED
    case.outcome = "Back in class."
    case.actual_return_date = datetime.date(2020, 1, 20)
    case.closed_at = timezone.now() - datetime.timedelta(days=7 * 365)
    case.save()
    return RetentionReviewItem.objects.create(
        school=world.school,
        kind=RetentionKind.CASE,
        record_id=case.pk,
        pupil_id=case.pupil_id,
        due_on=datetime.date(2026, 1, 20),
        status=ItemStatus.APPROVED,
        decided_by=world.users["dpo"],
        decided_at=timezone.now(),
    )


def test_retention_deletes_the_files_when_it_anonymises_the_case(
    world, django_capture_on_commit_callbacks
):
    case = open_case_for(world)
    post(world, "teacher", case)
    item = _closed_and_approved(world, case)

    with django_capture_on_commit_callbacks(execute=True):
        retention_item_anonymise(actor=actor(world, "dpo"), item=item)

    document = CaseDocument.objects.get()
    assert document.removed_at is not None
    assert document.original_name == "[anonymised]"
    assert not stored_files()
    dsl = client_for(world.users["dsl"])
    url = reverse("cases:case_document_download", args=[document.pk])
    assert dsl.get(url).status_code == 404


def test_documents_are_never_deleted_otherwise(world):
    case = open_case_for(world)
    post(world, "teacher", case)
    document = CaseDocument.objects.get()

    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        case.delete()
    assert CaseDocument.objects.filter(pk=document.pk).exists() and stored_files()


def _queries_for(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first page of a session also records the session itself
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_case_page_costs_the_same_queries_for_one_document_or_several(world):
    case = open_case_for(world)
    post(world, "teacher", case)
    client = client_for(world.users["teacher"])
    one = _queries_for(client, case.get_absolute_url())

    for number in range(3):
        post(world, "teacher", case, file=pdf(f"Letter {number}.pdf"))

    assert _queries_for(client, case.get_absolute_url()) == one


def test_no_file_chosen_is_refused_at_the_field(world):
    case = open_case_for(world)
    response = client_for(world.users["teacher"]).post(
        attach_url(case), {"document-kind": DocumentKind.OTHER}
    )

    assert response.context["form"].errors["file"] == ["Choose the file to attach."]


def test_a_record_refused_after_the_file_was_saved_leaves_no_file_behind(world):
    from django.core.exceptions import ValidationError

    from cases.documents.services import case_document_attach

    case = open_case_for(world)
    with pytest.raises(ValidationError):
        case_document_attach(actor=actor(world, "teacher"), case=case, file=pdf(), kind="nonsense")

    assert not CaseDocument.objects.exists() and not stored_files()
