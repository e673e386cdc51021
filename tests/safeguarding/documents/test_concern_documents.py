"""Documents on a concern and its referrals: for the DSL team and the headteacher alone, also
once the concern is closed (like an addendum), kept with the child-protection file, shown on
the concern page and in the pupil's chronology by name and who attached them."""

from pathlib import Path

from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.documents import DocumentKind
from dataprotection.models import AccessAction, AccessEvent
from safeguarding.documents.permissions import access_concern_document
from safeguarding.models import Agency, ConcernDocument, ConcernStatus, Referral
from tests.conftest import client_for
from tests.core.test_documents import JPEG, PDF, PNG
from tests.gate_checks import actor, refused
from tests.safeguarding.matrix_concerns import concern_for


def attach_url(concern) -> str:
    return reverse("safeguarding:concern_document_attach", args=[concern.pk])


def post(world, persona: str, concern, **data):
    payload = {
        "document-kind": DocumentKind.REFERRAL_FORM,
        "document-file": SimpleUploadedFile("Referral form.pdf", PDF, "application/pdf"),
    }
    payload.update({f"document-{key}": value for key, value in data.items()})
    return client_for(world.users[persona]).post(attach_url(concern), payload)


def stored_files() -> list[Path]:
    root = Path(storages["documents"].location)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def referral_for(world, concern) -> Referral:
    return Referral.objects.create(
        concern=concern,
        agency=Agency.SOCIAL_CARE,
        reference="MASH-2211",
        made_by=world.users["dsl"],
    )


def test_the_dsl_attaches_a_referral_form_to_a_referral(world):
    concern = concern_for(world)
    referral = referral_for(world, concern)

    response = post(world, "dsl", concern, referral=referral.pk)

    assert response.status_code == 302
    document = ConcernDocument.objects.get()
    assert document.concern == concern and document.referral == referral
    assert document.original_name == "Referral form.pdf"
    assert document.attached_by == world.users["dsl"]
    [stored] = stored_files()
    assert stored.name == document.storage_name
    event = AccessEvent.objects.get(action=AccessAction.CREATE)
    assert event.subject_type == "safeguarding.concerndocument"
    assert event.pupil_id == world.pupil.pk


def test_a_closed_concern_still_takes_documents_like_an_addendum(world):
    concern = concern_for(world)
    concern.status = ConcernStatus.CLOSED
    concern.outcome = "No further action"
    concern.close_reason = "Family engaged with early help."
    concern.closed_by = world.users["dsl"]
    concern.closed_at = timezone.now()
    concern.save()

    assert post(world, "headteacher", concern).status_code == 302
    assert ConcernDocument.objects.filter(concern=concern).count() == 1


def test_a_referral_of_another_concern_is_refused_at_its_field(world):
    concern = concern_for(world)
    other = referral_for(world, concern_for(world))

    response = post(world, "dsl", concern, referral=other.pk)

    assert response.status_code == 200
    assert response.context["form"].errors["referral"]
    assert not ConcernDocument.objects.exists() and not stored_files()


def test_a_jpeg_named_as_a_png_is_refused_at_the_field(world):
    concern = concern_for(world)

    response = post(
        world, "dsl", concern, file=SimpleUploadedFile("mark.png", JPEG, content_type="image/png")
    )

    message = " ".join(response.context["form"].errors["file"])
    assert "not a PNG image" in message and "JPEG image" in message
    assert not ConcernDocument.objects.exists() and not stored_files()


def test_the_reporter_and_other_staff_cannot_attach(world):
    concern = concern_for(world)

    assert post(world, "teacher", concern).status_code == 403  # the reporter: receipt only
    assert post(world, "other_teacher", concern).status_code == 404
    assert post(world, "deputy_dsl_other_site", concern).status_code == 404
    assert not ConcernDocument.objects.exists() and not stored_files()


def _attached(world) -> ConcernDocument:
    concern = concern_for(world)
    post(
        world,
        "dsl",
        concern,
        kind=DocumentKind.VISIT_NOTES,
        file=SimpleUploadedFile("Visit notes.png", PNG, content_type="text/html"),
    )
    return ConcernDocument.objects.get()


def test_the_download_is_an_audited_attachment_with_the_allow_listed_type(world):
    document = _attached(world)
    url = reverse("safeguarding:concern_document_download", args=[document.pk])

    response = client_for(world.users["headteacher"]).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    # Served as the type its contents were recognised as, never what the browser said.
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert url == f"/safeguarding/documents/{document.pk}/"
    event = AccessEvent.objects.get(action=AccessAction.EXPORT)
    assert event.subject_id == str(document.pk) and event.pupil_id == world.pupil.pk


def test_the_download_gate_refuses_the_reporter_with_403_and_others_with_404(world):
    document = _attached(world)

    refused(403, access_concern_document, actor(world, "teacher"), document.pk)
    denial = refused(404, access_concern_document, actor(world, "slt_class"), document.pk)
    assert denial.pupil_id == world.pupil.pk
    refused(404, access_concern_document, actor(world, "dsl"), document.pk + 999)


def test_the_concern_page_and_the_chronology_show_the_document_never_its_content(world):
    document = _attached(world)
    download = reverse("safeguarding:concern_document_download", args=[document.pk])
    dsl = client_for(world.users["dsl"])

    page = dsl.get(document.concern.get_absolute_url()).content.decode()
    assert "Visit notes.png" in page and download in page
    assert attach_url(document.concern) in page

    url = reverse("safeguarding:pupil_chronology", args=[world.pupil.pk])
    chronology = dsl.get(url).content.decode()
    assert "chronology-document" in chronology or "Document attached" in chronology
    assert "Visit notes.png" in chronology
    assert world.users["dsl"].get_full_name() in chronology
    assert PNG.decode("latin-1") not in chronology


def test_the_receipt_shows_no_documents(world):
    document = _attached(world)
    url = reverse("safeguarding:concern_receipt", args=[document.concern.pk])

    page = client_for(world.users["teacher"]).get(url).content.decode()

    assert "Visit notes.png" not in page


def test_a_case_document_appears_in_the_pupils_chronology_too(world):
    from tests.cases.documents.matrix import document_for

    document_for(world)
    url = reverse("safeguarding:pupil_chronology", args=[world.pupil.pk])

    chronology = client_for(world.users["dsl"]).get(url).content.decode()

    assert "Consent letter.pdf" in chronology


def _queries_for(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first page of a session also records the session itself
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_concern_page_and_chronology_cost_the_same_for_one_document_or_several(world):
    document = _attached(world)
    concern = document.concern
    dsl = client_for(world.users["dsl"])
    chronology = reverse("safeguarding:pupil_chronology", args=[world.pupil.pk])
    # A referral from the start: its responses and chases are read only once there is one.
    referral = referral_for(world, concern)
    page_once = _queries_for(dsl, concern.get_absolute_url())
    chronology_once = _queries_for(dsl, chronology)

    for _ in range(3):
        post(world, "dsl", concern, referral=referral.pk)

    assert _queries_for(dsl, concern.get_absolute_url()) == page_once
    assert _queries_for(dsl, chronology) == chronology_once
