"""Support request pages (policy section 3.5). Thin: form → gate → service → redirect.

Any member of staff raises a request and follows their own; IT staff work the queue of their
school or site; SLT and the headteacher read it (403 when they try to act); everyone else gets
the same audited 404 as for a request that does not exist.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from itsupport import permissions, selectors, services
from itsupport.forms import NoteForm, RequestFilterForm, RequestForm, ResolveForm
from itsupport.models import SupportRequest

REQUESTS_PER_PAGE = 25
DEMAND_DAYS = 30


# --- The list --------------------------------------------------------------------------------


@login_required
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.access_request_list(Actor.of(request))
    form = RequestFilterForm(request.GET)
    show = (
        form.cleaned_data.get("show") if form.is_valid() else ""
    ) or selectors.RequestFilter.OPEN
    page = Paginator(selectors.request_list_for(user, show=show), REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    shown = permissions.visible_pupil_ids(user, {r.pupil_id for r in rows if r.pupil_id})
    # Audit each request whose pupil is named on the page, in one INSERT.
    access_record_many(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subjects=[(r, r.pupil_id) for r in rows if r.pupil_id in shown],
        detail=f"IT requests: {show}",
    )
    return render(
        request,
        "itsupport/request_list.html",
        {
            "form": form,
            "show": show,
            "page": page,
            "rows": [(r, r.pupil_id in shown) for r in rows],
            "is_it": permissions.is_it_staff(user),
            "demand": selectors.demand_by_system(
                user, since=timezone.now() - datetime.timedelta(days=DEMAND_DAYS)
            )
            if permissions.sees_demand(user)
            else None,
            "demand_days": DEMAND_DAYS,
        },
    )


# --- Raising a request -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.access_request_raising(Actor.of(request))
    form = RequestForm(
        request.POST or None,
        schools=permissions.request_schools(user),
        pupils=permissions.pupils_for_requests(user),
    )
    if request.method == "POST" and form.is_valid():

        def save():
            return services.request_raise(actor=Actor.of(request), **form.cleaned_data)

        if created := attempt(form, save):
            messages.success(
                request,
                "Recorded: IT and SLT can see it."
                if created.resolved_at
                else "Request sent to IT. You can follow it here.",
            )
            return HttpResponseRedirect(reverse("itsupport:request_detail", args=[created.pk]))
    return render(request, "itsupport/request_new.html", {"form": form})


# --- One request -----------------------------------------------------------------------------


def _render_detail(
    request: HttpRequest, support_request: SupportRequest, **bound: object
) -> HttpResponse:
    user = request.user
    pupil_shown = support_request.pupil_id is not None and bool(
        permissions.visible_pupil_ids(user, {support_request.pupil_id})
    )
    can_work = permissions.can_work_on_request(user, support_request)
    can_note = permissions.can_add_note(user, support_request)
    context = {
        "req": support_request,
        "pupil_shown": pupil_shown,
        "notes": list(support_request.notes.all()),
        "can_work": can_work and support_request.is_open,
        "can_note": can_note,
        "note_form": bound.get("note_form") or NoteForm(),
        "resolve_form": bound.get("resolve_form") or ResolveForm(),
    }
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=support_request,
        pupil_id=support_request.pupil_id if pupil_shown else None,
    )
    status = 400 if bound else 200
    return render(request, "itsupport/request_detail.html", context, status=status)


@login_required
@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, permissions.access_request(Actor.of(request), pk))


@login_required
@require_POST
def request_note(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = permissions.access_request_notes(Actor.of(request), pk)
    form = NoteForm(request.POST)
    if form.is_valid():

        def save():
            return services.request_note_add(
                actor=Actor.of(request),
                support_request=support_request,
                text=form.cleaned_data["text"],
            )

        if attempt(form, save):
            messages.success(request, "Note added.")
            return HttpResponseRedirect(reverse("itsupport:request_detail", args=[pk]))
    return _render_detail(request, support_request, note_form=form)


@login_required
@require_POST
def request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = permissions.access_request(Actor.of(request), pk, to="act")
    try:
        services.request_assign(actor=Actor.of(request), support_request=support_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The request is yours.")
    return HttpResponseRedirect(reverse("itsupport:request_detail", args=[pk]))


@login_required
@require_POST
def request_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = permissions.access_request(Actor.of(request), pk, to="act")
    if not support_request.is_open:
        messages.error(request, "This request is already resolved; nothing changed.")
        return HttpResponseRedirect(reverse("itsupport:request_detail", args=[pk]))
    form = ResolveForm(request.POST)
    if form.is_valid():

        def save():
            return services.request_resolve(
                actor=Actor.of(request),
                support_request=support_request,
                resolution=form.cleaned_data["resolution"],
            )

        if attempt(form, save):
            messages.success(
                request, "Request resolved. The person who raised it can see what was done."
            )
            return HttpResponseRedirect(reverse("itsupport:request_detail", args=[pk]))
    return _render_detail(request, support_request, resolve_form=form)
