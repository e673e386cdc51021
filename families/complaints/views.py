"""Complaints and worries (policy section 3.6): the complaints log for staff, and the carers'
portal's page for making one. Thin: gate → selector or service → page or redirect. Staff
pages are not portal pages (a carer gets 404); the portal pages are marked so (staff get
404)."""

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
from families.boundary import portal_page
from families.complaints import permissions, selectors, services
from families.complaints.forms import ComplaintForm, ComplaintResponseForm
from families.models import Complaint
from families.permissions import access_child
from schools.calendar import today

COMPLAINTS_PER_PAGE = 25
# The complaint this browser session just made, for its confirmation page (an id, no text).
RECEIVED_KEY = "families_complaint_received"


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


# --- The carers' portal: making a complaint or raising a worry --------------------------------


@portal_page
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def complaint_new(request: HttpRequest, pupil_id: int) -> HttpResponse:
    actor = Actor.of(request)
    carer, pupil = access_child(actor, pupil_id)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        written = attempt(
            form,
            lambda: services.complaint_make(
                actor=actor,
                carer=carer,
                school=pupil.school,
                pupil=pupil,
                about_safety=form.cleaned_data["about_safety"],
                text=form.cleaned_data["text"],
            ),
        )
        if written is not None:
            request.session[RECEIVED_KEY] = written.pk
            return HttpResponseRedirect(reverse("families:complaint_received", args=[pupil.pk]))
    return render(request, "families/complaints/complaint_new.html", {"pupil": pupil, "form": form})


@portal_page
@login_required
@require_safe
def complaint_received(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """The confirmation, with the response date of the complaint this browser just made."""
    carer, pupil = access_child(Actor.of(request), pupil_id)
    complaint = (
        Complaint.objects.filter(pk=request.session.get(RECEIVED_KEY), carer=carer).first()
        if request.session.get(RECEIVED_KEY)
        else None
    )
    return render(
        request,
        "families/complaints/complaint_received.html",
        {"pupil": pupil, "complaint": complaint},
    )
