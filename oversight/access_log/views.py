"""Oversight pages. The access log: who looked at which pupil's records, and when (§5)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from dataprotection.selectors import access_events_for, latest_seal
from dataprotection.services import access_record
from oversight.access_log.forms import AccessLogFilterForm
from oversight.access_log.permissions import (
    access_access_log,
    access_events_visible_to,
    access_log_pupils_for,
    access_log_staff_for,
)
from schools.models import Pupil

ACCESS_LOG_PAGE_SIZE = 50


def _filters_detail(filters: dict[str, object]) -> str:
    """The filters used, for the audit: ids and dates only, never names."""
    parts = []
    for key in ("pupil_id", "user_id"):
        if filters.get(key) is not None:
            parts.append(f"{key}={filters[key]}")
    for key in ("date_from", "date_to"):
        if filters.get(key) is not None:
            parts.append(f"{key}={filters[key]:%Y-%m-%d}")
    return " ".join(parts) or "no filters"


def _pupil_names(pupils: QuerySet[Pupil], pupil_ids: set[int]) -> dict[int, str]:
    """Names for the pupils on one page of the log: one query, however many rows."""
    if not pupil_ids:
        return {}
    found = (
        pupils.filter(pk__in=pupil_ids)
        .order_by()
        .only("id", "first_name", "preferred_name", "last_name")
    )
    return {pupil.pk: pupil.display_name for pupil in found}


@login_required
@require_safe
def access_log(request: HttpRequest) -> HttpResponse:
    user = request.user
    access_access_log(Actor.of(request))
    pupils = access_log_pupils_for(user)
    form = AccessLogFilterForm(request.GET or None, pupils=pupils, staff=access_log_staff_for(user))
    page = None
    rows: list[dict[str, object]] = []
    filters: dict[str, object] = {}
    if not form.is_bound or form.is_valid():
        filters = form.filters()
        events = access_events_for(**filters, within=access_events_visible_to(user))
        page = Paginator(events, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        pupil_ids = {event.pupil_id for event in page.object_list if event.pupil_id}
        names = _pupil_names(pupils, pupil_ids)
        rows = [
            {"event": event, "pupil_name": names.get(event.pupil_id)} for event in page.object_list
        ]
        detail = f"{_filters_detail(filters)}; page {page.number} of {page.paginator.num_pages}"
    else:
        detail = "filters not valid"
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type=AccessEvent._meta.label_lower,
        pupil_id=filters.get("pupil_id"),
        detail=detail,
    )
    return render(
        request,
        "oversight/access_log.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "filtered": any(value is not None for value in filters.values()),
            # Tamper evidence: the latest seal over the audit and the latest check (one query).
            "seal": latest_seal(),
        },
    )
