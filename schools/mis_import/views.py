"""The MIS import pages. Administrators only: everyone else is told there is nothing here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.actor import Actor
from schools.mis_import.applying import saving_progress
from schools.mis_import.forms import MisImportForm
from schools.mis_import.layouts import LAYOUTS
from schools.mis_import.permissions import access_mis_import, access_mis_import_run
from schools.mis_import.runs import (
    mis_import_apply_checked,
    mis_import_can_apply,
    mis_import_runs,
    mis_import_start,
)
from schools.models import MisImportKind, MisImportStatus

RECENT_RUNS = 10


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    access_mis_import(Actor.of(request))
    if request.method == "POST":
        form = MisImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            run = mis_import_start(
                school=form.cleaned_data["school"],
                kind=form.cleaned_data["kind"],
                data=upload.read(),
                file_name=upload.name,
                dry_run=form.cleaned_data["dry_run"],
                user=request.user,
            )
            return redirect(run)
    else:
        form = MisImportForm()
    layouts = [(MisImportKind(kind).label, columns) for kind, columns in LAYOUTS.items()]
    return render(
        request,
        "schools/import_upload.html",
        {"form": form, "runs": mis_import_runs()[:RECENT_RUNS], "layouts": layouts},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's progress (polled by htmx while it works), then its report. POST imports the
    file of a clean dry run for real."""
    run = access_mis_import_run(Actor.of(request), pk)
    if request.method == "POST":
        if not mis_import_can_apply(run):
            messages.error(request, "This file can no longer be imported: upload it again.")
            return redirect(run)
        return redirect(mis_import_apply_checked(run=run, user=request.user))
    context = {
        "run": run,
        "report": run.report,
        "can_apply": mis_import_can_apply(run),
        "saving": saving_progress(run) if run.status == MisImportStatus.WRITING else None,
    }
    template = "schools/import_report.html" if request.htmx else "schools/import_status.html"
    return render(request, template, context)
