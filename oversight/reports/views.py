"""SLT oversight report pages (policy 3.3): ask for a report, watch it being made, download it.

Thin: form → gate → service → redirect. Reports are read through
``permissions_reports.reports_visible_to`` only; anyone whose memberships do not cover a
report's scope gets the same audited 404 as for a report that does not exist. Every download
is recorded in the access audit as a print.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from oversight.models import OversightReport
from oversight.reports.forms import OversightReportForm
from oversight.reports.permissions import (
    access_report,
    access_reports,
    report_scopes_for,
    reports_visible_to,
)
from oversight.reports.services import oversight_report_request, oversight_report_retry
from schools.calendar import today

REPORTS_PAGE_SIZE = 20


@login_required
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    """My reports and the others I may read, newest first: a fixed number of queries."""
    access_reports(Actor.of(request))
    reports = (
        reports_visible_to(request.user)
        .select_related("school", "site", "school_class__site", "requested_by")
        .defer("content")
    )
    page = Paginator(reports, REPORTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "oversight/report_list.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    access_reports(Actor.of(request))
    scopes = report_scopes_for(request.user)
    form = OversightReportForm(request.POST or None, scopes=scopes, today=today())
    if request.method == "POST" and form.is_valid():

        def request_report() -> OversightReport:
            return oversight_report_request(
                user=request.user,
                scope_value=form.cleaned_data["scope"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )

        if created := attempt(form, request_report):
            return redirect(created)
    return render(request, "oversight/report_form.html", {"form": form})


@login_required
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's progress (polled by htmx every 2 s until it is finished), then its link."""
    report = access_report(Actor.of(request), pk)
    template = "oversight/report_progress.html" if request.htmx else "oversight/report_detail.html"
    return render(request, template, {"report": report})


@login_required
@require_safe
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(Actor.of(request), pk)
    if not report.is_ready:
        messages.info(request, "The report is not ready yet.")
        return redirect(report)
    content = OversightReport.objects.filter(pk=report.pk).values_list("content", flat=True)[0]
    access_record(
        action=AccessAction.PRINT,
        actor=Actor.of(request),
        subject=report,
        detail=(
            f"oversight report school={report.school_id} site={report.site_id or '-'} "
            f"class={report.school_class_id or '-'} {report.start:%Y-%m-%d}..{report.end:%Y-%m-%d}"
        ),
    )
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="oversight-report-{report.pk}.pdf"'
    return response


@login_required
@require_POST
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(Actor.of(request), pk, to="act")
    if report.status != "failed":
        messages.info(request, "Only a report that failed can be tried again.")
        return redirect(report)
    oversight_report_retry(report=report)
    messages.success(request, "The report is being made again.")
    return redirect(report)
