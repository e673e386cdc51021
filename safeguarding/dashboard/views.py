"""The DSL dashboard, home visits and longer absences (policy sections 3.2 and 3.4).

Thin: form → gate → service → redirect. A person who may not know a record exists gets the
same (audited) 404 as for one that does not exist; a person who sees the case but may not act
here gets an audited 403.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.models import Case
from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.dashboard.permissions import (
    VisitAccess,
    access_dashboard,
    access_involvement,
    access_safeguarding_case,
    access_visit,
    access_visit_agreement,
    access_visit_case,
)
from safeguarding.dashboard.selectors import (
    case_safeguarding_page,
    dashboard_for,
    dashboard_sites,
    new_concern_path,
    visit_for_page,
)
from safeguarding.models import Concern, HomeVisit
from safeguarding.visits import services
from safeguarding.visits.forms import (
    DashboardFilterForm,
    InvolvementEndForm,
    InvolvementForm,
    SocialWorkerInformedForm,
    VisitAgreeForm,
    VisitRecordForm,
    VisitRequestForm,
)
from safeguarding.visits.services import SAME_PERSON_MESSAGES, Agreement, gave_other_agreement
from schools.calendar import today

# ---------------------------------------------------------------------------------------------
# Helpers


def _case_page_url(case: Case) -> str:
    return reverse("safeguarding:case_safeguarding", args=[case.pk])


# ---------------------------------------------------------------------------------------------
# The dashboard


def _dashboard_context(request: HttpRequest) -> dict[str, object]:
    sites = dashboard_sites(request.user)
    form = DashboardFilterForm(request.GET or None, sites=sites)
    site_id, urgency = None, ""
    if form.is_bound and form.is_valid():
        site_id = form.cleaned_data["site"]
        urgency = form.cleaned_data["urgency"]
    board = dashboard_for(request.user, site_id=site_id, urgency=urgency)
    query = urlencode({k: v for k, v in {"site": site_id or "", "urgency": urgency}.items() if v})
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type=Concern._meta.label_lower,
        detail=f"dashboard: {board.open_concerns} concerns, {board.flag_count} flags",
    )
    return {
        "form": form,
        "board": board,
        "filtered": bool(query),
        "partial_url": reverse("safeguarding:dashboard_partial") + (f"?{query}" if query else ""),
    }


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    access_dashboard(Actor.of(request))
    return render(request, "safeguarding/dashboard.html", _dashboard_context(request))


@login_required
@require_safe
def dashboard_partial(request: HttpRequest) -> HttpResponse:
    """The dashboard's body, refreshed in place by htmx every minute with the same filter."""
    access_dashboard(Actor.of(request))
    return render(request, "safeguarding/_dashboard_body.html", _dashboard_context(request))


# ---------------------------------------------------------------------------------------------
# The case's safeguarding page: social worker informed, involvements, home visits


def _render_case(request: HttpRequest, case: Case, status: int = 200, **bound: Form):
    day = today()
    page = case_safeguarding_page(case, today=day)
    forms = {
        "informed_form": SocialWorkerInformedForm(prefix="informed", initial={"informed_on": day}),
        "involvement_form": InvolvementForm(
            prefix="involvement", school_id=case.pupil.school_id, initial={"started_on": day}
        ),
        "visit_form": VisitRequestForm(prefix="visit"),
    }
    forms.update(bound)
    ends = [
        {
            "involvement": involvement,
            "form": InvolvementEndForm(prefix=f"end{involvement.pk}", initial={"ended_on": day})
            if involvement.ended_on is None
            else None,
        }
        for involvement in page.involvements
    ]
    access_record(
        action=AccessAction.VIEW, actor=Actor.of(request), subject=case, pupil_id=case.pupil_id
    )
    return render(
        request,
        "safeguarding/absence_case.html",
        {
            "case": case,
            "pupil": case.pupil,
            "school": case.pupil.school,
            "page": page,
            "ends": ends,
            "new_concern_url": new_concern_path(case.pupil_id),
            **forms,
        },
        status=status,
    )


@login_required
@require_safe
def case_safeguarding(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = access_safeguarding_case(Actor.of(request), case_pk)
    return _render_case(request, case)


@login_required
@require_POST
def social_worker_informed(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = access_safeguarding_case(Actor.of(request), case_pk)
    form = SocialWorkerInformedForm(request.POST, prefix="informed")
    if form.is_valid() and attempt(
        form,
        lambda: services.social_worker_informed_record(
            actor=Actor.of(request), case=case, **form.cleaned_data
        ),
    ):
        messages.success(request, "Recorded that the social worker was informed.")
        return HttpResponseRedirect(_case_page_url(case) + "#social-worker")
    return _render_case(request, case, status=200, informed_form=form)


@login_required
@require_POST
def involvement_add(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = access_safeguarding_case(Actor.of(request), case_pk)
    form = InvolvementForm(request.POST, prefix="involvement", school_id=case.pupil.school_id)
    if form.is_valid() and attempt(
        form,
        lambda: services.involvement_add(actor=Actor.of(request), case=case, **form.cleaned_data),
    ):
        messages.success(request, "Involvement recorded.")
        return HttpResponseRedirect(_case_page_url(case) + "#involvements")
    return _render_case(request, case, status=200, involvement_form=form)


@login_required
@require_POST
def involvement_end(request: HttpRequest, pk: int) -> HttpResponse:
    involvement, case = access_involvement(Actor.of(request), pk)
    form = InvolvementEndForm(request.POST, prefix=f"end{involvement.pk}")
    if form.is_valid() and attempt(
        form,
        lambda: services.involvement_end(
            actor=Actor.of(request),
            involvement=involvement,
            ended_on=form.cleaned_data["ended_on"],
        ),
    ):
        messages.success(request, "Involvement ended.")
        return HttpResponseRedirect(_case_page_url(case) + "#involvements")
    messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return HttpResponseRedirect(_case_page_url(case) + "#involvements")


# ---------------------------------------------------------------------------------------------
# Home visits


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def visit_request(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = access_visit_case(Actor.of(request), case_pk)
    form = VisitRequestForm(request.POST or None, prefix="visit")
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            visit := attempt(
                form,
                lambda: services.visit_request(
                    actor=Actor.of(request), case=case, **form.cleaned_data
                ),
            )
        )
    ):
        messages.success(request, "Home visit requested: SLT and the DSL now agree it.")
        return HttpResponseRedirect(reverse("safeguarding:visit_record", args=[visit.pk]))
    access_record(
        action=AccessAction.VIEW, actor=Actor.of(request), subject=case, pupil_id=case.pupil_id
    )
    return render(
        request,
        "safeguarding/visit_request.html",
        {"case": case, "pupil": case.pupil, "form": form},
        status=200,
    )


def _render_visit(
    request: HttpRequest, access: VisitAccess, visit: HomeVisit, record_form=None, status=200
):
    if record_form is None and visit.visited_on is None:
        record_form = VisitRecordForm(
            prefix="record",
            pupil=visit.case.pupil,
            initial={"visited_on": today()},
        )
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=visit,
        pupil_id=visit.case.pupil_id,
    )

    def may_agree(which: str) -> bool:
        return access.may_agree(which) and not gave_other_agreement(visit, request.user, which)

    return render(
        request,
        "safeguarding/visit_detail.html",
        {
            "visit": visit,
            "case": visit.case,
            "pupil": visit.case.pupil,
            "can_agree_slt": may_agree(Agreement.SLT) and visit.slt_agreed_at is None,
            "can_agree_dsl": may_agree(Agreement.DSL) and visit.dsl_agreed_at is None,
            # Why a button is missing for someone holding both roles who gave one agreement.
            "needs_someone_else": [
                SAME_PERSON_MESSAGES[which]
                for which, given in (
                    (Agreement.SLT, visit.slt_agreed_at),
                    (Agreement.DSL, visit.dsl_agreed_at),
                )
                if given is None
                and access.may_agree(which)
                and gave_other_agreement(visit, request.user, which)
            ],
            "agreed": visit.slt_agreed_at is not None and visit.dsl_agreed_at is not None,
            "record_form": record_form,
            "new_concern_url": new_concern_path(visit.case.pupil_id),
            "may_see_case_page": access.may_see_case_page,
        },
        status=status,
    )


@login_required
@require_POST
def visit_agree(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_visit(Actor.of(request), pk)
    visit = access.visit
    form = VisitAgreeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whose agreement this is.")
        return HttpResponseRedirect(reverse("safeguarding:visit_record", args=[visit.pk]))
    which = form.cleaned_data["which"]
    access_visit_agreement(Actor.of(request), access, which)
    if attempt(
        form,
        lambda: services.visit_agree(actor=Actor.of(request), visit=visit, which=which),
    ):
        messages.success(request, "Agreement recorded.")
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return HttpResponseRedirect(reverse("safeguarding:visit_record", args=[visit.pk]))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit: its agreements, and once both are given, what happened."""
    access = access_visit(Actor.of(request), pk)
    visit = access.visit
    if request.method != "POST":
        return _render_visit(request, access, visit)
    form = VisitRecordForm(request.POST, prefix="record", pupil=visit.case.pupil)
    if form.is_valid() and attempt(
        form,
        lambda: services.visit_record(
            actor=Actor.of(request),
            visit=visit,
            visited_on=form.cleaned_data["visited_on"],
            staff=list(form.cleaned_data["staff"]),
            outcome=form.cleaned_data["outcome"],
        ),
    ):
        messages.success(
            request, "Home visit recorded. If it raised a concern, raise it now from this page."
        )
        return HttpResponseRedirect(reverse("safeguarding:visit_record", args=[visit.pk]))
    return _render_visit(request, access, visit_for_page(visit.pk), record_form=form, status=200)
