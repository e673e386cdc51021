"""The receiving DSL's pages, reached from the emailed link without signing in. The link's
token is the only thing in the address; the code, given by phone, opens the file for this
browser session. Nothing here links to a staff page."""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.actor import Actor
from core.documents import documents_storage
from core.forms import attempt
from safeguarding.models import FileTransfer
from safeguarding.transfers import services
from safeguarding.transfers.forms import ReceiptForm, TransferCodeForm
from safeguarding.transfers.permissions import OPENED_KEY, LinkClosed, access_transfer_link

DOWNLOAD_NAME = "child-protection-file.zip"


def _opened(request: HttpRequest) -> list[int]:
    return request.session.get(OPENED_KEY, [])


def _closed(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request, "safeguarding/transfer_public_closed.html", {"reason": reason}, status=410
    )


def _page(request: HttpRequest, transfer: FileTransfer, token: str, **forms) -> HttpResponse:
    opened = transfer.pk in _opened(request)
    context = {
        "transfer": transfer,
        "token": token,
        "school_from": transfer.leaving.pupil.school.name,
        "opened": opened,
        "code_form": forms.get("code_form") or TransferCodeForm(),
        "receipt_form": forms.get("receipt_form") or ReceiptForm(),
    }
    return render(request, "safeguarding/transfer_public.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def receive(request: HttpRequest, token: str) -> HttpResponse:
    actor = Actor.of(request)
    try:
        transfer = access_transfer_link(actor, token)
    except LinkClosed as closed:
        return _closed(request, closed.reason)
    form = TransferCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checked = attempt(
            form,
            lambda: services.transfer_code_check(
                actor=actor, transfer=transfer, code=form.cleaned_data["code"]
            ),
        )
        if checked:
            request.session[OPENED_KEY] = [*_opened(request), transfer.pk]
            return redirect("file_transfer:receive", token)
        if reason := services.transfer_closed_reason(transfer, now=timezone.now()):
            return _closed(request, reason)
    return _page(request, transfer, token, code_form=form)


@require_safe
def download(request: HttpRequest, token: str) -> HttpResponse:
    actor = Actor.of(request)
    try:
        transfer = access_transfer_link(actor, token, opened_ids=_opened(request), to="act")
    except LinkClosed as closed:
        return _closed(request, closed.reason)
    try:
        handle = documents_storage().open(transfer.storage_name, "rb")
    except OSError:
        return _closed(
            request, "The file could not be found. Ask the sending school to send it again."
        )
    services.transfer_downloaded(actor=actor, transfer=transfer)
    response = FileResponse(
        handle, as_attachment=True, filename=DOWNLOAD_NAME, content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    actor = Actor.of(request)
    try:
        transfer = access_transfer_link(actor, token, opened_ids=_opened(request), to="act")
    except LinkClosed as closed:
        return _closed(request, closed.reason)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        received = attempt(
            form,
            lambda: services.transfer_receipt_confirm(
                actor=actor, transfer=transfer, **form.cleaned_data
            ),
        )
        if received:
            request.session[OPENED_KEY] = [pk for pk in _opened(request) if pk != transfer.pk]
            return render(
                request, "safeguarding/transfer_public_received.html", {"transfer": received}
            )
    return _page(request, transfer, token, receipt_form=form)
