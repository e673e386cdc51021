"""The child's week on the family portal: thin, gate then selector."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from families.boundary import portal_page
from families.permissions import access_child
from families.week.selectors import child_week, monday_of
from schools.calendar import today


def _monday(value: str | None) -> datetime.date:
    """The week asked for (?week=YYYY-MM-DD, any day of it); this week for anything else."""
    try:
        return monday_of(datetime.date.fromisoformat(value or ""))
    except ValueError:
        return monday_of(today())


@portal_page
@login_required
@require_safe
def week(request: HttpRequest, pupil_id: int) -> HttpResponse:
    actor = Actor.of(request)
    _carer, pupil = access_child(actor, pupil_id)
    shown = child_week(pupil, _monday(request.GET.get("week")))
    access_record(
        actor=actor,
        action=AccessAction.VIEW,
        subject=pupil,
        pupil_id=pupil.pk,
        detail="family portal: the child's week",
    )
    return render(request, "families/week.html", {"pupil": pupil, "week": shown})
