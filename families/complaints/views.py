"""The complaints log for staff (policy section 3.6). Thin: gate → selector or service →
page or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from families.complaints import permissions, selectors, services
from families.complaints.forms import ComplaintResponseForm
from schools.calendar import today

COMPLAINTS_PER_PAGE = 25


@login_required
@require_safe
def complaint_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.of(request)
    permissions.access_complaints_log(actor)
    page = Paginator(selectors.complaints_log(request.user), COMPLAINTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    access_record_many(
        action=AccessAction.LIST,
        actor=actor,
        subjects=[(complaint, complaint.pupil_id) for complaint in rows],
        detail="complaints log",
    )
    return render(
        request,
        "families/complaints/complaint_list.html",
        {"page": page, "rows": rows, "today": today()},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    complaint = permissions.access_complaint(actor, pk)
    form = ComplaintResponseForm(request.POST or None, complaint=complaint)
    if request.method == "POST" and form.is_valid():
        written = attempt(
            form,
            lambda: services.complaint_respond(
                actor=actor,
                complaint=complaint,
                text=form.cleaned_data["text"],
                corrects=form.cleaned_data["corrects"],
            ),
        )
        if written is not None:
            messages.success(request, "The response is recorded.")
            return HttpResponseRedirect(reverse("families:complaint_detail", args=[pk]))
    if request.method != "POST":
        access_record(
            action=AccessAction.VIEW, actor=actor, subject=complaint, pupil_id=complaint.pupil_id
        )
    return render(
        request,
        "families/complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "responses": selectors.responses_to(complaint),
            "form": form,
            "today": today(),
        },
    )
