"""Subject access pages for the Data Protection Officer. Thin: form → gate → collect → file.

Names are only ever posted (the search) and never put in an address, a file name or the
audit: the pages after the search carry the pupil's id alone. Every search, preview, export
and refusal is recorded in the access audit; an export's audit line says which parts it held,
never the reasons or names typed into the form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.actor import Actor
from core.forms import attempt
from core.pdf import render_pdf
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from dpo.subject_access import services as services_sar
from dpo.subject_access.collecting import subject_access_collect
from dpo.subject_access.export_json import LONDON, subject_access_json
from dpo.subject_access.forms import PupilSearchForm, SubjectAccessForm
from dpo.subject_access.permissions import (
    access_subject_access,
    access_subject_access_pupil,
    access_subject_access_request,
    subject_access_pupils_for,
)
from dpo.subject_access.selectors import requests_for_register, with_deadlines
from dpo.subject_access.structure import Options, SubjectAccessRecord
from schools.models import Pupil

PUPIL_SUBJECT = Pupil._meta.label_lower
SEARCH_RESULTS_LIMIT = 50
PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Find the pupil the request is about. The search is posted: no name in the address."""
    access_subject_access(Actor.of(request))
    form = PupilSearchForm(request.POST if request.method == "POST" else None)
    results: list[Pupil] | None = None
    more = False
    if form.is_bound and form.is_valid():
        found = list(
            form.matches(subject_access_pupils_for(request.user))
            .select_related("school", "school_class__site")
            .order_by("last_name", "first_name", "id")[: SEARCH_RESULTS_LIMIT + 1]
        )
        more = len(found) > SEARCH_RESULTS_LIMIT
        results = found[:SEARCH_RESULTS_LIMIT]
        access_record(
            action=AccessAction.SEARCH,
            actor=Actor.of(request),
            subject_type=PUPIL_SUBJECT,
            detail=f"subject access: {len(results)} pupils found",
        )
    return render(request, "dpo/sar_start.html", {"form": form, "results": results, "more": more})


def _render_preview(request: HttpRequest, pupil: Pupil, form: SubjectAccessForm) -> HttpResponse:
    record = subject_access_collect(pupil=pupil, options=Options(), produced_by=request.user)
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=pupil,
        pupil_id=pupil.pk,
        detail="subject access preview",
    )
    return render(request, "dpo/sar_preview.html", {"record": record, "form": form})


@login_required
@require_safe
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What the export will hold, with the choices to make before downloading it."""
    pupil = access_subject_access_pupil(Actor.of(request), pk)
    return _render_preview(request, pupil, SubjectAccessForm())


def _audit_detail(record: SubjectAccessRecord, file_format: str) -> str:
    """Short, and free of anything typed: the format, the parts and some counts."""
    return (
        f"subject access {file_format}: {', '.join(record.parts)}; "
        f"safeguarding {record.safeguarding.status}; "
        f"{len(record.cases)} cases, {record.contact_count} contacts, "
        f"{len(record.access_events)} access events"
    )


def _file_name(record: SubjectAccessRecord, extension: str) -> str:
    produced = record.produced_at.astimezone(LONDON)
    return f"subject-access-pupil-{record.pupil.id}-{produced:%Y-%m-%d}.{extension}"


def _download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    pupil = access_subject_access_pupil(Actor.of(request), pk)
    form = SubjectAccessForm(request.POST)
    if not form.is_valid():
        return _render_preview(request, pupil, form)
    record = subject_access_collect(pupil=pupil, options=form.options(), produced_by=request.user)
    if file_format == "pdf":
        body = render_pdf(
            "dpo/pdf/sar.html",
            {
                "title": "Subject access: records held about a pupil",
                "school_name": record.pupil.school,
                "record": record,
            },
        )
        content_type = "application/pdf"
    else:
        body = subject_access_json(record)
        content_type = "application/json; charset=utf-8"
    access_record(
        action=AccessAction.EXPORT,
        actor=Actor.of(request),
        subject=pupil,
        pupil_id=pupil.pk,
        detail=_audit_detail(record, file_format),
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(record, file_format)}"'
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_POST
def download_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf")


@login_required
@require_POST
def download_json(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "json")


# --- The register of requests --------------------------------------------------------------


@login_required
@require_POST
def request_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a request from the preview page, with the same 'requested by' and 'date received'
    fields the export uses; on a refusal the preview comes back with the reason at the field."""
    pupil = access_subject_access_pupil(Actor.of(request), pk)
    form = SubjectAccessForm(request.POST, for_logging=True)
    if form.is_valid() and (
        created := attempt(
            form,
            lambda: services_sar.subject_access_request_log(
                actor=Actor.of(request),
                pupil=pupil,
                requested_by=form.cleaned_data["requested_by"],
                received_on=form.cleaned_data["received_on"],
            ),
        )
    ):
        sar = created
        messages.success(request, f"Request logged. The response is due by {sar.due_on:%d/%m/%Y}.")
        return HttpResponseRedirect(sar.get_absolute_url())
    return _render_preview(request, pupil, form)


@login_required
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    access_subject_access(Actor.of(request))
    page = Paginator(requests_for_register(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = with_deadlines(page.object_list)
    if rows:
        access_record_many(
            action=AccessAction.LIST,
            actor=Actor.of(request),
            subjects=[(sar, sar.pupil_id) for sar in rows],
            detail=f"subject access register: {len(rows)} requests",
        )
    return render(request, "dpo/sar_request_list.html", {"page": page, "requests": rows})


@login_required
@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sar = access_subject_access_request(Actor.of(request), pk)
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=sar,
        pupil_id=sar.pupil_id,
        detail="subject access request",
    )
    return render(request, "dpo/sar_request_detail.html", {"sar": with_deadlines([sar])[0]})


@login_required
@require_POST
def request_mark_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """The response went out (after downloading the export): record who and when."""
    sar = access_subject_access_request(Actor.of(request), pk)
    try:
        services_sar.subject_access_request_mark_sent(actor=Actor.of(request), sar=sar)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Marked as sent.")
    return HttpResponseRedirect(sar.get_absolute_url())
