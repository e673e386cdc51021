"""What a document may be, checked by its contents; where it is kept; and that it has no
address of its own."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve

from core.documents import (
    DOCUMENTS_STORAGE,
    DocumentType,
    clean_file_name,
    document_check,
    new_storage_name,
)
from remote_learning import settings as project_settings

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office_file(main: str, part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{part}" ContentType="{main}"/></Types>',
        )
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


DOCX = office_file(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "word/document.xml",
)
XLSX = office_file(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "xl/workbook.xml",
)


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    # The browser's content type is deliberately wrong in some tests: it is never believed.
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("letter.pdf", PDF, DocumentType.PDF),
        ("photo.PNG", PNG, DocumentType.PNG),
        ("scan.jpg", JPEG, DocumentType.JPEG),
        ("scan.jpeg", JPEG, DocumentType.JPEG),
        ("advice.docx", DOCX, DocumentType.DOCX),
        ("plan.xlsx", XLSX, DocumentType.XLSX),
        ("notes.txt", "Visit notes: all well, café open.".encode(), DocumentType.TEXT),
    ],
)
def test_each_allowed_type_is_recognised_by_its_contents(name, content, expected):
    assert document_check(upload(name, content, content_type="text/html")) == expected


def _refusal(file) -> str:
    with pytest.raises(ValidationError) as refused:
        document_check(file)
    return " ".join(refused.value.message_dict["file"])


def test_a_png_named_as_a_pdf_is_refused_as_not_a_pdf():
    message = _refusal(upload("consent.pdf", PNG, content_type="application/pdf"))
    assert "not a PDF" in message and "PNG image" in message


@pytest.mark.parametrize(
    ("name", "content", "named"),
    [
        ("letter.pdf", b"<html><script>alert(1)</script></html>", "PDF"),
        ("photo.png", PDF, "PNG image"),
        ("advice.docx", b"PK\x03\x04 not really a zip", "Word document"),
        ("advice.docx", office_file("text/html", "index.html"), "Word document"),
        ("plan.xlsx", DOCX, "Excel spreadsheet"),
        ("notes.txt", b"\x00\x01\x02binary", "plain text file"),
        ("notes.txt", b"\xff\xfe\xfa not utf-8", "plain text file"),
    ],
)
def test_a_file_whose_contents_are_not_what_its_name_says_is_refused(name, content, named):
    assert f"not a {named}" in _refusal(upload(name, content))


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "archive.zip", "macro.docm", "noext"])
def test_a_file_of_a_refused_type_is_refused(name):
    message = _refusal(upload(name, PDF))
    assert "cannot be attached" in message and "PDF" in message


def test_an_empty_file_is_refused():
    assert "empty" in _refusal(upload("letter.pdf", b""))


class _Unreadable(io.BytesIO):
    def read(self, *args):  # pragma: no cover - reaching here is the failure
        raise AssertionError("the file was read before its size was checked")


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.DOCUMENT_MAX_MB = 1
    big = SimpleUploadedFile("letter.pdf", b"")
    big.file = _Unreadable()
    big.size = 1024 * 1024 + 1
    message = _refusal(big)
    assert "too big" in message and "1 MB" in message


def test_the_default_limit_is_ten_megabytes():
    assert settings.DOCUMENT_MAX_MB == 10


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\office\\Consent letter.pdf", "Consent letter.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ('rep"ort<1>\x00\r\n.pdf', "report1.pdf"),
        ("   ", "document"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_the_original_name_is_kept_cleaned(raw, clean):
    assert clean_file_name(raw) == clean


def test_storage_names_are_random_and_carry_nothing_of_the_original():
    names = {new_storage_name() for _ in range(50)}
    assert len(names) == 50
    assert all(len(Path(name).name) == 32 and "." not in name for name in names)


def test_the_configured_storage_is_var_documents_outside_the_web_root_and_static_files():
    # The project's own settings (tests keep their files in a temporary folder instead).
    configured = project_settings.STORAGES[DOCUMENTS_STORAGE]
    location = Path(configured["OPTIONS"]["location"]).resolve()
    assert location == (Path(project_settings.VAR_DIR) / "documents").resolve()
    served = [Path(project_settings.STATIC_ROOT), *map(Path, project_settings.STATICFILES_DIRS)]
    if getattr(project_settings, "MEDIA_ROOT", ""):
        served.append(Path(project_settings.MEDIA_ROOT))
    for root in served:
        assert not location.is_relative_to(root.resolve())
        assert not root.resolve().is_relative_to(location)
    assert not getattr(project_settings, "MEDIA_URL", "")


def test_a_stored_document_has_no_url():
    storage = storages[DOCUMENTS_STORAGE]
    name = storage.save(new_storage_name(), io.BytesIO(PDF))
    with pytest.raises(ValueError):
        storage.url(name)


@pytest.mark.django_db
def test_no_address_of_the_site_reaches_a_stored_file(staff_user):
    storage = storages[DOCUMENTS_STORAGE]
    name = storage.save(new_storage_name(), io.BytesIO(PDF))
    client = Client()
    client.force_login(staff_user)
    for path in (
        f"/{name}",
        f"/documents/{name}",
        f"/var/documents/{name}",
        f"/media/{name}",
        f"/static/{name}",
        f"/media/documents/{name}",
    ):
        with pytest.raises(Resolver404):
            resolve(path)
        response = client.get(path)
        assert response.status_code == 404
        assert PDF not in response.content
