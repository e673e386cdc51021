"""Pupils who need a device, internet access or paper copies (the §3.2 plan), and the section
the pupil's record and case load from here (htmx): cases and schools sit below this app, so
they link here rather than import it.

Anyone who may see a pupil records a need; IT, class staff, SLT and the headteacher list the
open needs and mark them met; others who see the pupil get 403 on marking; everyone else an
audited 404.
"""

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
from itsupport import permissions, selectors, services
from itsupport.forms import MeetNeedForm, NeedFilterForm, NeedForm
from itsupport.loans.views import prefilled_pupil
from itsupport.models import DeviceLoan, NeedKind
from itsupport.needs.permissions import access_need, access_need_list, access_need_recording
from itsupport.permissions import PUPIL_SUBJECT
from schools.calendar import today
from schools.permissions import access_pupil

PER_PAGE = 25


@login_required
@require_safe
def need_list(request: HttpRequest) -> HttpResponse:
    access_need_list(Actor.of(request))
    form = NeedFilterForm(request.GET)
    show = (form.cleaned_data.get("show") if form.is_valid() else "") or selectors.NeedFilter.OPEN
    page = Paginator(selectors.need_list_for(request.user, show=show), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    access_record_many(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subjects=[(need, need.pupil_id) for need in rows],
        detail=f"needs: {show}",
    )
    return render(
        request,
        "itsupport/need_list.html",
        {"form": form, "show": show, "page": page, "needs": rows},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def need_new(request: HttpRequest) -> HttpResponse:
    access_need_recording(Actor.of(request))
    pupils = permissions.pupils_for_needs(request.user)
    form = NeedForm(request.POST or None, pupils=pupils, initial=prefilled_pupil(request, pupils))
    if request.method == "POST" and form.is_valid():

        def save():
            return services.need_record(actor=Actor.of(request), **form.cleaned_data)

        if need := attempt(form, save):
            messages.success(request, "Recorded: IT and the class team can see the need.")
            return HttpResponseRedirect(need.pupil.get_absolute_url())
    return render(request, "itsupport/need_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def need_meet(request: HttpRequest, pk: int) -> HttpResponse:
    need = access_need(Actor.of(request), pk, to="act")
    loans = DeviceLoan.objects.filter(pupil_id=need.pupil_id).order_by("-lent_on", "-id")
    initial = {"met_on": today()}
    paper = None
    if need.need == NeedKind.PAPER:
        # Cases record paper deliveries: offer the latest rather than asking again.
        paper = selectors.latest_paper_delivery(need.pupil)
        if paper is not None:
            initial = {
                "met_on": paper.delivered_on,
                "how": f"Paper copies delivered {paper.delivered_on:%d/%m/%Y}",
            }
    form = MeetNeedForm(request.POST or None, loans=loans, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save():
            return services.need_meet(
                actor=Actor.of(request),
                need=need,
                met_on=data["met_on"],
                loan=data["loan"],
                how=data["how"],
            )

        if attempt(form, save):
            messages.success(request, "The need is marked as met.")
            return HttpResponseRedirect(reverse("itsupport:need_list"))
    access_record(
        action=AccessAction.VIEW, actor=Actor.of(request), subject=need, pupil_id=need.pupil_id
    )
    return render(request, "itsupport/need_meet.html", {"form": form, "need": need, "paper": paper})


@login_required
@require_safe
def pupil_it_panel(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    """The pupil's devices, connectivity and paper copies, as a section the pupil's record and
    their case load into themselves (htmx). The same rule as the pupil record: 404 otherwise."""
    pupil, access = access_pupil(
        Actor.of(request), pupil_pk, refusal="IT section: pupil not visible to this person"
    )
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject_type=PUPIL_SUBJECT,
        subject_id=pupil.pk,
        pupil_id=pupil.pk,
        detail="IT section: devices, connectivity and paper copies",
    )
    return render(
        request,
        "itsupport/_pupil_it_panel.html",
        {
            "pupil": pupil,
            **selectors.pupil_panel(pupil),
            **permissions.it_panel_rights(access),
        },
    )
