"""Pages of the file transfer. Staff pages: record a leaving, see and send the file. The
receiving DSL's page has no sign-in: the link's token and the code are its gate."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.models import FileTransfer, PupilLeaving, TransferredFile
from safeguarding.transfers import services
from safeguarding.transfers.forms import PupilLeavingForm, TransferImportForm
from safeguarding.transfers.permissions import (
    access_pupil_transfer,
    access_transferred_file,
    can_send_file,
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pupil_leaving(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    actor = Actor.of(request)
    pupil = access_pupil_transfer(actor, pupil_pk)
    form = PupilLeavingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = attempt(
            form, lambda: services.pupil_leaving_record(actor=actor, pupil=pupil, **data)
        )
        if recorded:
            return redirect("safeguarding:pupil_transfer", pupil.pk)
    return render(request, "safeguarding/pupil_leaving.html", {"pupil": pupil, "form": form})


def _transfers_sent(pupil) -> dict[str, object]:
    transfers = list(
        FileTransfer.objects.filter(leaving__pupil=pupil).select_related("made_by", "leaving")
    )
    return {
        "pupil": pupil,
        "transfers": transfers,
        "preparing": any(sent.is_preparing for sent in transfers),
    }


def _transfer_page(request: HttpRequest, pupil, **extra: object) -> HttpResponse:
    leaving = PupilLeaving.objects.filter(pupil=pupil).select_related("flag", "recorded_by").first()
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=pupil,
        pupil_id=pupil.pk,
        detail="child-protection file transfer",
    )
    context = {
        **_transfers_sent(pupil),
        "leaving": leaving,
        "flag": getattr(leaving, "flag", None) if leaving else None,
        "imported": list(TransferredFile.objects.filter(pupil=pupil).defer("records")),
        "can_send": can_send_file(request.user, pupil),
        **extra,
    }
    return render(request, "safeguarding/pupil_transfer.html", context)


@login_required
@require_safe
def pupil_transfer(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    """The leaving, the transfer task and every bundle sent, with its receipt. Polled by htmx
    for the files sent alone while one is being sealed (what the full page showed, again:
    not audited each time)."""
    pupil = access_pupil_transfer(Actor.of(request), pupil_pk)
    if request.htmx:
        return render(request, "safeguarding/_transfers_sent.html", _transfers_sent(pupil))
    return _transfer_page(request, pupil)


@login_required
@require_POST
def transfer_send(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    """Seal the file and send the link; the code is shown on this answer only (it is kept
    only as a digest), so the page is rendered, not redirected to."""
    actor = Actor.of(request)
    pupil = access_pupil_transfer(actor, pupil_pk, to="act")
    try:
        sent, code = services.file_transfer_send(actor=actor, pupil=pupil)
    except ValidationError as refused:
        return _transfer_page(request, pupil, send_errors=refused.messages)
    sent.refresh_from_db()  # a worker may already have sealed it
    return _transfer_page(request, pupil, sent=sent, code=code)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def transfer_import(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    """Import a file received from another school into this pupil's file (the DSL team)."""
    actor = Actor.of(request)
    pupil = access_pupil_transfer(actor, pupil_pk, to="act")
    form = TransferImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        imported = attempt(
            form,
            lambda: services.transferred_file_import(
                actor=actor,
                pupil=pupil,
                bundle=form.cleaned_data["bundle"],
                digest=form.cleaned_data["digest"],
            ),
        )
        if imported:
            return redirect(imported)
    return render(request, "safeguarding/transfer_import.html", {"pupil": pupil, "form": form})


@login_required
@require_safe
def transferred_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The records as they came from the other school: read-only."""
    actor = Actor.of(request)
    imported = access_transferred_file(actor, pk)
    access_record(
        action=AccessAction.VIEW,
        actor=actor,
        subject=imported,
        pupil_id=imported.pupil_id,
        detail="child-protection file transferred from another school",
    )
    return render(
        request,
        "safeguarding/transferred_file.html",
        {"imported": imported, "pupil": imported.pupil, "records": imported.records},
    )
