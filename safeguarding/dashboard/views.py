"""The DSL dashboard, home visits and longer absences (policy sections 3.2 and 3.4).

Thin: form → gate → service → redirect. A person who may not know a record exists gets the
same (audited) 404 as for one that does not exist; a person who sees the case but may not act
here gets an audited 403.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.models import Case
from cases.permissions import can_view_case
from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.dashboard.selectors import (
    case_for_safeguarding,
    case_safeguarding_page,
    dashboard_for,
    dashboard_sites,
    involvement_for_page,
    new_concern_path,
    visit_for_page,
)
from safeguarding.models import Concern, HomeVisit, Involvement
from safeguarding.permissions import DSL_TEAM_ROLES, SAFEGUARDING_ROLES, can_use_dashboard
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
from safeguarding.visits.services import Agreement
from schools.calendar import today
from schools.models import Role
from schools.permissions import pupil_access

CASE_SUBJECT = Case._meta.label_lower
# Who arranges, agrees and records home visits: the DSL team, SLT and the headteacher.
VISIT_ROLES = DSL_TEAM_ROLES | {Role.SLT, Role.HEADTEACHER}
AGREEMENT_ROLES = {
    Agreement.SLT: frozenset({Role.SLT, Role.HEADTEACHER}),
    Agreement.DSL: DSL_TEAM_ROLES,
}


# ---------------------------------------------------------------------------------------------
# Gates


def _deny(request: HttpRequest, *, subject_type: str, subject_id, pupil_id, detail: str):
    access_record(
        action=AccessAction.DENIED,
        actor=Actor.of(request),
        subject_type=subject_type,
        subject_id=subject_id,
        pupil_id=pupil_id,
        detail=detail,
    )


def _case_roles_or_404(request: HttpRequest, case: Case | None, pk: int) -> frozenset[str]:
    """The person's roles over the case's pupil; 404 (audited) if they may not see the case."""
    if case is None or not can_view_case(request.user, case):
        _deny(
            request,
            subject_type=CASE_SUBJECT,
            subject_id=pk,
            pupil_id=case.pupil_id if case is not None else None,
            detail="case not visible to this person",
        )
        raise Http404
    return pupil_access(request.user, case.pupil).roles


def _require(request: HttpRequest, case: Case, roles: frozenset[str], needed) -> None:
    if not roles & needed:
        _deny(
            request,
            subject_type=CASE_SUBJECT,
            subject_id=case.pk,
            pupil_id=case.pupil_id,
            detail="may see this case but not act on its safeguarding",
        )
        raise PermissionDenied


def safeguarding_case_or_403(request: HttpRequest, pk: int) -> Case:
    """The case for its DSL team and the headteacher."""
    case = case_for_safeguarding(pk)
    _require(request, case, _case_roles_or_404(request, case, pk), SAFEGUARDING_ROLES)
    return case


def visit_case_or_403(request: HttpRequest, pk: int) -> tuple[Case, frozenset[str]]:
    case = case_for_safeguarding(pk)
    roles = _case_roles_or_404(request, case, pk)
    _require(request, case, roles, VISIT_ROLES)
    return case, roles


def visit_or_403(request: HttpRequest, pk: int) -> tuple[HomeVisit, frozenset[str]]:
    visit = visit_for_page(pk)
    if visit is None:
        _deny(
            request,
            subject_type=HomeVisit._meta.label_lower,
            subject_id=pk,
            pupil_id=None,
            detail="no such visit",
        )
        raise Http404
    roles = _case_roles_or_404(request, visit.case, visit.case_id)
    _require(request, visit.case, roles, VISIT_ROLES)
    return visit, roles


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


def _dashboard_gate(request: HttpRequest) -> None:
    if not can_use_dashboard(request.user):
        _deny(
            request,
            subject_type=Concern._meta.label_lower,
            subject_id="",
            pupil_id=None,
            detail="safeguarding dashboard refused",
        )
        raise Http404


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    _dashboard_gate(request)
    return render(request, "safeguarding/dashboard.html", _dashboard_context(request))


@login_required
@require_safe
def dashboard_partial(request: HttpRequest) -> HttpResponse:
    """The dashboard's body, refreshed in place by htmx every minute with the same filter."""
    _dashboard_gate(request)
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
    case = safeguarding_case_or_403(request, case_pk)
    return _render_case(request, case)


@login_required
@require_POST
def social_worker_informed(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = safeguarding_case_or_403(request, case_pk)
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
    case = safeguarding_case_or_403(request, case_pk)
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
    involvement = involvement_for_page(pk)
    if involvement is None:
        _deny(
            request,
            subject_type=Involvement._meta.label_lower,
            subject_id=pk,
            pupil_id=None,
            detail="no such involvement",
        )
        raise Http404
    case = safeguarding_case_or_403(request, involvement.case_id)
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
    case, _roles = visit_case_or_403(request, case_pk)
    form = VisitRequestForm(request.POST or None, prefix="visit")
    if request.method == "POST":
        visit_holder: list[HomeVisit] = []
        if form.is_valid() and attempt(
            form,
            lambda: visit_holder.append(
                services.visit_request(actor=Actor.of(request), case=case, **form.cleaned_data)
            ),
        ):
            messages.success(request, "Home visit requested: SLT and the DSL now agree it.")
            return HttpResponseRedirect(
                reverse("safeguarding:visit_record", args=[visit_holder[0].pk])
            )
    access_record(
        action=AccessAction.VIEW, actor=Actor.of(request), subject=case, pupil_id=case.pupil_id
    )
    return render(
        request,
        "safeguarding/visit_request.html",
        {"case": case, "pupil": case.pupil, "form": form},
        status=200,
    )


def _render_visit(request: HttpRequest, visit: HomeVisit, roles, record_form=None, status=200):
    can_agree = {which: bool(roles & needed) for which, needed in AGREEMENT_ROLES.items()}
    if record_form is None and visit.visited_on is None:
        record_form = VisitRecordForm(
            prefix="record",
            school_id=visit.case.pupil.school_id,
            initial={"visited_on": today()},
        )
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=visit,
        pupil_id=visit.case.pupil_id,
    )
    return render(
        request,
        "safeguarding/visit_detail.html",
        {
            "visit": visit,
            "case": visit.case,
            "pupil": visit.case.pupil,
            "can_agree_slt": can_agree[Agreement.SLT] and visit.slt_agreed_at is None,
            "can_agree_dsl": can_agree[Agreement.DSL] and visit.dsl_agreed_at is None,
            "agreed": visit.slt_agreed_at is not None and visit.dsl_agreed_at is not None,
            "record_form": record_form,
            "new_concern_url": new_concern_path(visit.case.pupil_id),
            "may_see_case_page": bool(roles & SAFEGUARDING_ROLES),
        },
        status=status,
    )


@login_required
@require_POST
def visit_agree(request: HttpRequest, pk: int) -> HttpResponse:
    visit, roles = visit_or_403(request, pk)
    form = VisitAgreeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whose agreement this is.")
        return HttpResponseRedirect(reverse("safeguarding:visit_record", args=[visit.pk]))
    which = form.cleaned_data["which"]
    if not roles & AGREEMENT_ROLES[which]:
        _deny(
            request,
            subject_type=HomeVisit._meta.label_lower,
            subject_id=visit.pk,
            pupil_id=visit.case.pupil_id,
            detail=f"may not give the {which} agreement",
        )
        raise PermissionDenied
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
    visit, roles = visit_or_403(request, pk)
    if request.method != "POST":
        return _render_visit(request, visit, roles)
    form = VisitRecordForm(request.POST, prefix="record", school_id=visit.case.pupil.school_id)
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
    return _render_visit(request, visit_for_page(visit.pk), roles, record_form=form, status=200)
