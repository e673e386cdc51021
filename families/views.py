"""The carers' portal's home. Thin: gate → selector → page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from families.boundary import portal_page
from families.selectors import children_for_home


@portal_page
@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The carer's children (name, class); each is a link to that child's pages."""
    children = list(children_for_home(request.user))
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type="schools.pupil",
        detail=f"carers' portal home: {len(children)} children",
    )
    return render(request, "families/home.html", {"children": children})
