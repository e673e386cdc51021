"""Attaching a document to a concern and downloading one: thin, through the concern's gate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from core.actor import Actor
from core.documents import document_response
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.documents.forms import ConcernDocumentForm
from safeguarding.documents.permissions import access_concern_document
from safeguarding.documents.services import concern_document_attach
from safeguarding.permissions import access_concern


@login_required
@require_http_methods(["GET", "POST"])
def concern_document_attach_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    concern = access_concern(actor, pk, to="act")
    form = ConcernDocumentForm(
        request.POST or None, request.FILES or None, concern=concern, prefix="document"
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: concern_document_attach(
                actor=actor,
                concern=concern,
                file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                referral=form.cleaned_data["referral"],
            ),
        )
    ):
        messages.success(request, "The document is attached.")
        return HttpResponseRedirect(concern.get_absolute_url() + "#documents")
    return render(
        request,
        "safeguarding/document_attach.html",
        {"concern": concern, "pupil": concern.pupil, "form": form},
    )


@login_required
@require_safe
def concern_document_download(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    document = access_concern_document(actor, pk)
    response = document_response(document)
    access_record(
        action=AccessAction.EXPORT,
        actor=actor,
        subject=document,
        pupil_id=document.concern.pupil_id,
        detail="document downloaded",
    )
    return response
