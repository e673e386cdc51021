from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record_many
from safeguarding.households.permissions import access_household
from safeguarding.households.selectors import household_for


@login_required
@require_safe
def pupil_household(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    actor = Actor.of(request)
    pupil = access_household(actor, pupil_pk)
    household = household_for(request.user, pupil)
    access_record_many(
        action=AccessAction.VIEW,
        actor=actor,
        subjects=[(m.pupil, m.pupil.pk) for m in household.members if m.visible],
        detail=f"household of pupil {pupil.pk}",
    )
    return render(request, "safeguarding/households/household.html", {"household": household})
