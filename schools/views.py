"""Pupil pages. Thin: form → gate → selector or service → template."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.forms import PupilFilterForm, ShareForm
from schools.permissions import (
    access_carer_contacts,
    access_pupil,
    access_pupil_list,
    can_view_access_log,
)
from schools.selectors import carers_of, pupil_list_for, share_candidates
from schools.services import ShareRefused, pupil_share_grant, pupil_share_revoke

PUPILS_PER_PAGE = 25


FILTERS_ALLOWED_IN_ADDRESS = ("site", "school_class", "pathway", "page")


def _filter_data(request: HttpRequest) -> dict[str, str] | None:
    """Filter input: posted, or ids in the address (from links such as "my classes").

    A name typed into the search box only ever arrives by POST, so it never reaches the
    address bar, browser history or server logs; a name in the address is ignored.
    """
    if request.method == "POST":
        return request.POST
    picked = {key: request.GET[key] for key in FILTERS_ALLOWED_IN_ADDRESS if key in request.GET}
    if set(picked) - {"page"}:
        return picked
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pupil_list(request: HttpRequest) -> HttpResponse:
    access_pupil_list(Actor.of(request))
    data = _filter_data(request)
    form = PupilFilterForm(data, user=request.user)
    filters: dict[str, object] = {}
    page_number = request.GET.get("page", 1)
    if data is not None and form.is_valid():
        filters = {key: form.cleaned_data[key] for key in ("site", "school_class", "pathway")}
        filters["name"] = form.cleaned_data["name"]
        page_number = form.cleaned_data["page"] or 1
    pupils = pupil_list_for(request.user, **filters)
    if data is not None and not form.is_valid():
        # Show the mistake at its field rather than a list the person did not ask for.
        pupils = pupils.none()
    page = Paginator(pupils, PUPILS_PER_PAGE).get_page(page_number)
    searched = bool(filters.get("name"))
    access_record(
        action=AccessAction.SEARCH if searched else AccessAction.LIST,
        actor=Actor.of(request),
        subject_type="schools.pupil",
        detail=f"page {page.number}: {len(page.object_list)} pupils",
    )
    return render(
        request,
        "schools/pupil_list.html",
        {"form": form, "page": page, "filtered": bool(data), "searched": searched},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def pupil_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pupil, access = access_pupil(Actor.of(request), pk)
    carers = carers_of(pupil) if access.can_view_details else []
    access_record(
        action=AccessAction.VIEW, actor=Actor.of(request), subject=pupil, pupil_id=pupil.pk
    )
    return render(
        request,
        "schools/pupil_detail.html",
        {
            "pupil": pupil,
            "access": access,
            "carers": carers,
            "share_candidates": share_candidates(pupil) if access.can_manage_shares else [],
            "sees_access_log": can_view_access_log(request.user),
            # Raising a concern is for anyone who sees the pupil (safeguarding's rule).
            "may_raise_concern": access.can_view,
        },
    )


@login_required
@require_POST
def pupil_carer_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """Carers' phone numbers, emails and addresses, shown on request to someone about to make
    contact (policy 5.2: minimum data), and recorded in the access log each time."""
    pupil = access_carer_contacts(Actor.of(request), pk)
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=pupil,
        pupil_id=pupil.pk,
        detail="carers' contact details",
    )
    return render(request, "schools/_carer_contacts.html", {"carers": carers_of(pupil)})


@login_required
@require_POST
def pupil_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    pupil, _access = access_pupil(Actor.of(request), pk, to="act")
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That change could not be made. Please try again.")
        return HttpResponseRedirect(pupil.get_absolute_url())
    colleague = get_user_model().objects.filter(pk=form.cleaned_data["user"], is_active=True)
    colleague = colleague.first()
    if colleague is None:
        messages.error(request, "That member of staff could not be found.")
        return HttpResponseRedirect(pupil.get_absolute_url())
    try:
        if form.cleaned_data["action"] == "grant":
            pupil_share_grant(actor=Actor.of(request), pupil=pupil, with_user=colleague)
            messages.success(request, f"{colleague} can now see {pupil.display_name}'s record.")
        else:
            pupil_share_revoke(actor=Actor.of(request), pupil=pupil, with_user=colleague)
            messages.success(request, f"{colleague} can no longer see this record.")
    except ShareRefused as refusal:
        messages.error(request, str(refusal))
    return HttpResponseRedirect(pupil.get_absolute_url())
