"""The family's agreements on the portal: the case's arrangement (the carers' party) and the
virtual-session ground rules of Appendix 1, each agreed by the carer for the term. Thin:
gate, then form, then service, then redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cases.arrangement import agreeable, arrangement_for, arrangement_version
from cases.models import OPEN_STATUSES, Case
from cases.services import carer_agreement_current, carer_agreement_give
from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from families.agreements.forms import ArrangementAgreeForm, GroundRulesForm
from families.boundary import portal_page
from families.permissions import access_child
from safeguarding.sessions.services import (
    carer_ground_rules_current,
    session_agreement_give_by_carer,
)
from schools.calendar import term_agreed_for, today
from schools.models import Phase


def _viewed(actor: Actor, pupil, what: str) -> None:
    access_record(
        actor=actor,
        action=AccessAction.VIEW,
        subject=pupil,
        pupil_id=pupil.pk,
        detail=f"family portal: {what}",
    )


@portal_page
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def arrangement(request: HttpRequest, pupil_id: int) -> HttpResponse:
    actor = Actor.of(request)
    carer, pupil = access_child(actor, pupil_id)
    case = (
        Case.objects.select_related("pupil__school")
        .filter(pupil=pupil, status__in=OPEN_STATUSES)
        .first()
    )
    shown = arrangement_for(case) if case is not None else None
    version = arrangement_version(shown) if shown is not None else ""
    form = ArrangementAgreeForm(initial={"version": version})
    if request.method == "POST" and case is not None and agreeable(case):
        form = ArrangementAgreeForm(request.POST)
        if form.is_valid() and attempt(
            form,
            lambda: carer_agreement_give(
                actor=actor, case=case, carer=carer, version=form.cleaned_data["version"]
            ),
        ):
            messages.success(request, "Thank you: your agreement is recorded.")
            return HttpResponseRedirect(reverse("families:child_arrangement", args=[pupil.pk]))
        # Whatever was sent back, the page shows (and asks about) the arrangement as it is now.
        form.data = form.data.copy()
        form.data["version"] = version
    else:
        _viewed(actor, pupil, "arrangement")
    context = {
        "pupil": pupil,
        "case": case,
        "arrangement": shown,
        "agreed": carer_agreement_current(case, carer) if case is not None else None,
        "term": term_agreed_for(pupil.school, today()),
        "form": form,
    }
    return render(request, "families/arrangement.html", context)


@portal_page
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ground_rules(request: HttpRequest, pupil_id: int) -> HttpResponse:
    actor = Actor.of(request)
    carer, pupil = access_child(actor, pupil_id)
    primary = pupil.school_class.phase == Phase.PRIMARY
    form = GroundRulesForm()
    if request.method == "POST":
        form = GroundRulesForm(request.POST)
        if form.is_valid() and attempt(
            form,
            lambda: session_agreement_give_by_carer(
                actor=actor, pupil=pupil, carer=carer, **form.cleaned_data
            ),
        ):
            messages.success(request, "Thank you: your agreement to the ground rules is recorded.")
            return HttpResponseRedirect(reverse("families:child_ground_rules", args=[pupil.pk]))
    else:
        _viewed(actor, pupil, "session ground rules")
    context = {
        "pupil": pupil,
        "primary": primary,
        "agreed": carer_ground_rules_current(pupil, carer),
        "term": term_agreed_for(pupil.school, today()),
        "form": form,
    }
    return render(request, "families/ground_rules.html", context)
