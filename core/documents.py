"""Documents attached to records (consent letters, medical advice, referral forms, visit
notes): what may be attached, where it is kept and how it is handed back.

- What: an allow-list of types, each recognised by its contents (its first bytes, or for Word
  and Excel files the parts inside the zip), never by the browser's content type. The file's
  name must agree with its contents, so a PNG named ``consent.pdf`` is refused as "not a PDF".
- How big: at most ``DOCUMENT_MAX_MB`` megabytes, checked from the upload's size before a
  byte of it is read (Django keeps uploads above a few megabytes on disk, not in memory).
- Where: the ``documents`` storage of ``STORAGES``, under a random name that carries nothing
  of the original; the original name is kept, cleaned, as data. The storage has no address:
  a document is only ever handed back through its record's gated, audited view.

The records that hold documents live with what they are attached to (cases, safeguarding);
they share the fields of ``StoredDocument`` and every rule here.
"""

import codecs
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath, PureWindowsPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse, Http404

DOCUMENTS_STORAGE = "documents"
NAME_LIMIT = 200


class DocumentType(models.TextChoices):
    """The allow-list: the value is the content type the file is served with."""

    PDF = "application/pdf", "PDF"
    PNG = "image/png", "PNG image"
    JPEG = "image/jpeg", "JPEG image"
    DOCX = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document (.docx)",
    )
    XLSX = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel spreadsheet (.xlsx)",
    )
    TEXT = "text/plain", "plain text file (.txt)"


class DocumentKind(models.TextChoices):
    CONSENT_LETTER = "consent", "Consent letter"
    MEDICAL_ADVICE = "medical", "Medical advice"
    REFERRAL_FORM = "referral", "Referral form"
    VISIT_NOTES = "visit", "Visit notes"
    OTHER = "other", "Something else"


TYPE_BY_ENDING = {
    ".pdf": DocumentType.PDF,
    ".png": DocumentType.PNG,
    ".jpg": DocumentType.JPEG,
    ".jpeg": DocumentType.JPEG,
    ".docx": DocumentType.DOCX,
    ".xlsx": DocumentType.XLSX,
    ".txt": DocumentType.TEXT,
}

# What the main part of a Word or Excel file declares in its [Content_Types].xml (the
# macro-enabled variants declare something else, and are refused).
OFFICE_MAIN_PARTS = {
    DocumentType.DOCX: b"wordprocessingml.document.main+xml",
    DocumentType.XLSX: b"spreadsheetml.sheet.main+xml",
}

ALLOWED_TYPES = (
    "a PDF, a PNG or JPEG image, a Word document (.docx), an Excel spreadsheet (.xlsx) or a "
    "plain text file (.txt)"
)


def _short_label(kind: DocumentType) -> str:
    return kind.label.split(" (")[0]


def max_upload_help() -> str:
    return (
        f"{ALLOWED_TYPES[0].upper()}{ALLOWED_TYPES[1:]}, at most {settings.DOCUMENT_MAX_MB} MB. "
        "What is inside the file is checked, not only its name."
    )


def max_bytes() -> int:
    return settings.DOCUMENT_MAX_MB * 1024 * 1024


# --- Recognising a file by its contents -------------------------------------------------------


def _office_type(file: UploadedFile) -> DocumentType | None:
    """Word or Excel, from the zip's own table of contents: only the directory at the end of
    the file and one small part are read."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive, archive.open("[Content_Types].xml") as part:
            declared = part.read(256 * 1024)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        return None
    for kind, main_part in OFFICE_MAIN_PARTS.items():
        if main_part in declared:
            return kind
    return None


def _is_text(file: UploadedFile) -> bool:
    """UTF-8 (or plain ASCII) with no NUL bytes, read a chunk at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in file.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff(file: UploadedFile) -> DocumentType | None:
    """The allowed type the file's contents are, or None."""
    file.seek(0)
    head = file.read(8)
    found: DocumentType | None = None
    if head.startswith(b"%PDF-"):
        found = DocumentType.PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = DocumentType.PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = DocumentType.JPEG
    elif head.startswith(b"PK\x03\x04"):
        found = _office_type(file)
    elif _is_text(file):
        found = DocumentType.TEXT
    file.seek(0)
    return found


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def document_check(file: UploadedFile | None) -> DocumentType:
    """The file's type from the allow-list, or a refusal at the form's ``file`` field: too
    big (checked before anything is read), a refused type, or contents that are not what
    the name says."""
    if file is None:
        raise _refuse("Choose the file to attach.")
    limit = settings.DOCUMENT_MAX_MB
    if file.size is not None and file.size > max_bytes():
        size = file.size / (1024 * 1024)
        raise _refuse(
            f"This file is too big ({size:.1f} MB): a document can be at most {limit} MB. "
            "Make it smaller (for example, scan it at a lower resolution) or split it."
        )
    if not file.size:
        raise _refuse("This file is empty: choose the file again.")
    ending = PurePosixPath(clean_file_name(file.name or "")).suffix.lower()
    named = TYPE_BY_ENDING.get(ending)
    if named is None:
        raise _refuse(
            f"Files of this type cannot be attached. Attach {ALLOWED_TYPES}, at most {limit} MB."
        )
    found = sniff(file)
    if found != named:
        what = (
            f"its contents are a {_short_label(found)}"
            if found is not None
            else "its contents are not a type that can be attached"
        )
        raise _refuse(
            f"This file is named as a {_short_label(named)} but it is not a "
            f"{_short_label(named)}: {what}. Attach the {_short_label(named)} itself, or a "
            "file whose name matches what it is."
        )
    return named


# --- Names ------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"<>:|?*/\\]')


def clean_file_name(raw: str) -> str:
    """The name to keep and to offer when the file is downloaded: no folders, no control
    characters or characters file systems refuse, at most 200 characters (keeping the
    ending), "document" when nothing is left."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("", name)
    name = " ".join(name.split()).strip(" .")
    if not name:
        return "document"
    if len(name) > NAME_LIMIT:
        stem, dot, ending = name.rpartition(".")
        if dot and len(ending) <= 10:
            name = stem[: NAME_LIMIT - len(ending) - 1] + "." + ending
        else:
            name = name[:NAME_LIMIT]
    return name


def new_storage_name() -> str:
    """A random name: nothing of the file, the pupil or the record can be read from it."""
    return uuid.uuid4().hex


# --- Storage ----------------------------------------------------------------------------------


class PrivateFileSystemStorage(FileSystemStorage):
    """Files kept on disk with no address: handed back only through a gated view."""

    def url(self, name: str | None) -> str:
        raise ValueError("Documents have no address: they are served through their record.")


def documents_storage() -> Storage:
    return storages[DOCUMENTS_STORAGE]


@contextmanager
def storing(file: UploadedFile) -> Iterator[str]:
    """Save the file under a new random name and give that name; if what follows fails (a
    refused record, a failed audit row) the file is removed again, so nothing is left half
    written."""
    storage = documents_storage()
    name = storage.save(new_storage_name(), file)
    try:
        yield name
    except BaseException:
        storage.delete(name)
        raise


@contextmanager
def stored_document[D: "StoredDocument"](
    model: type[D], file: UploadedFile | None, *, attached_by: object, **fields: object
) -> Iterator[D]:
    """Check the file by its contents, store it under a random name and save its record of
    ``model`` (with ``fields``: the record it belongs to, its kind); give the saved document
    for the caller to audit. If anything in the block fails, the file is removed again."""
    content_type = document_check(file)
    with storing(file) as storage_name:
        document = model(
            original_name=clean_file_name(file.name),
            content_type=content_type,
            size=file.size,
            storage_name=storage_name,
            attached_by=attached_by,
            **fields,
        )
        document.full_clean()
        document.save()
        yield document


def delete_stored(names: list[str]) -> None:
    """Delete stored files (retention); a file already gone is not an error."""
    storage = documents_storage()
    for name in names:
        if name:
            storage.delete(name)


def document_response(document: "StoredDocument") -> FileResponse:
    """The file as a download, never shown in the page: the content type from the allow-list,
    ``attachment``, no sniffing."""
    try:
        handle = documents_storage().open(document.storage_name, "rb")
    except (FileNotFoundError, OSError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


class DocumentForm(forms.Form):
    """What each app's attach form asks; the app adds what the document belongs to. The file
    itself is checked by the app's service (``document_check``), so a refusal comes back at
    this form's ``file`` field through ``attempt``."""

    kind = forms.ChoiceField(label="What it is", choices=DocumentKind.choices)
    file = forms.FileField(
        label="File",
        allow_empty_file=True,
        error_messages={"required": "Choose the file to attach."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = max_upload_help()


# --- The record's fields, shared by each app's documents ------------------------------------


class StoredDocument(models.Model):
    """A document attached to a record. Append-only: a replacement is a new document and the
    old one stays. Only retention removes the file (``removed_at``), with the record."""

    kind = models.CharField("what it is", max_length=10, choices=DocumentKind.choices)
    original_name = models.CharField(max_length=NAME_LIMIT)
    content_type = models.CharField(max_length=100, choices=DocumentType.choices)
    size = models.PositiveBigIntegerField(help_text="In bytes.")
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attached_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When retention deleted the file along with the record it belonged to.",
    )

    class Meta:
        abstract = True
        ordering = ["attached_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def type_label(self) -> str:
        return DocumentType(self.content_type).label
