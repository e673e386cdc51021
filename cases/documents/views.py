"""Attaching a document to a case and downloading one: thin, through the case's gate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from cases.documents.forms import CaseDocumentForm
from cases.documents.permissions import access_case_document
from cases.documents.services import case_document_attach
from cases.permissions import access_case
from core.actor import Actor
from core.documents import document_response
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record


@login_required
@require_http_methods(["GET", "POST"])
def case_document_attach_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    case = access_case(actor, pk, to="act")
    form = CaseDocumentForm(
        request.POST or None, request.FILES or None, case=case, prefix="document"
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: case_document_attach(
                actor=actor,
                case=case,
                file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                agreement=form.cleaned_data["agreement"],
            ),
        )
    ):
        messages.success(request, "The document is attached.")
        return HttpResponseRedirect(case.get_absolute_url() + "#documents")
    return render(
        request,
        "cases/document_attach.html",
        {"case": case, "pupil": case.pupil, "form": form},
    )


@login_required
@require_safe
def case_document_download(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    document = access_case_document(actor, pk)
    response = document_response(document)
    access_record(
        action=AccessAction.EXPORT,
        actor=actor,
        subject=document,
        pupil_id=document.case.pupil_id,
        detail="document downloaded",
    )
    return response
