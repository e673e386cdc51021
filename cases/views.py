"""Remote-education case pages. Thin: form → gate → service → redirect.

Every page goes through cases.permissions: a person who may not see a case gets the same 404
as for a case that does not exist, and the refusal is audited; a person who may read but not
act (the DSL team) gets 403 on every POST. A rule the services refuse comes back as a message
at the field that caused it, on the case page, with nothing written.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases import services
from cases.forms import (
    ActivateForm,
    AgreementForm,
    CaseFilterForm,
    CaseProposeForm,
    CloseForm,
    ProvisionForm,
    ReintegrationPlanForm,
    ReintegrationStepForm,
    ReviewForm,
    StepDoneForm,
    WithdrawForm,
)
from cases.models import Case, Decision, Party, Status
from cases.permissions import (
    CASE_SUBJECT,
    access_case,
    access_case_list,
    access_case_proposal,
    access_case_step,
    can_list_cases,
    can_open_case_for,
    can_propose_cases,
    can_work_on_case,
    cases_visible_to,
    chosen_pupil_for_proposal,
    note_unavailable_proposal_pupil,
    pupils_for_new_cases,
)
from cases.selectors import (
    case_classes_for,
    case_for_page,
    case_list_for,
    case_page,
    case_sites_for,
    proposal_defaults,
    pupils_for_proposal,
)
from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.calendar import today
from schools.permissions import access_pupil, can_view_pupil, pupil_access

CASES_PER_PAGE = 25


# ---------------------------------------------------------------------------------------------
# Helpers


def _back_to(case: Case, section: str = "") -> HttpResponseRedirect:
    anchor = f"#{section}" if section else ""
    return HttpResponseRedirect(case.get_absolute_url() + anchor)


def _page_forms(page, can_work: bool) -> dict[str, object]:
    if not can_work or not page.case.is_open:
        return {}
    day = page.today
    plan = page.plan
    forms = {
        "agreement_form": AgreementForm(prefix="agreement", initial={"agreed_on": day}),
        "activate_form": ActivateForm(prefix="activate"),
        "withdraw_form": WithdrawForm(prefix="withdraw"),
        "provision_form": ProvisionForm(prefix="provision", initial={"date": day}),
        "review_form": ReviewForm(prefix="review", initial={"held_on": day}),
        "plan_form": ReintegrationPlanForm(
            prefix="plan",
            initial={"support": plan.support, "flexibilities": plan.flexibilities} if plan else {},
        ),
        "step_form": ReintegrationStepForm(prefix="step"),
    }
    if page.case.status != Status.PROPOSED:  # a proposal is withdrawn, not closed
        forms["close_form"] = CloseForm(prefix="close", initial={"actual_return_date": day})
    return forms


FORM_SECTIONS = {
    "agreement_form": "agreements",
    "activate_form": "next",
    "withdraw_form": "next",
    "provision_form": "provision",
    "review_form": "reviews",
    "plan_form": "reintegration",
    "step_form": "reintegration",
    "step_done_form": "reintegration",
    "close_form": "close",
}


def _render_case(
    request: HttpRequest, case: Case, *, done_step_pk: int | None = None, **bound: Form
) -> HttpResponse:
    """The case page, with any bound form (carrying its errors) in place of the blank one."""
    day = today()
    if bound:
        # A refused write may have left the in-memory case out of step; read it again.
        case = case_for_page(case.pk)
    page = case_page(case, today=day)
    can_work = can_work_on_case(request.user, case)
    forms = _page_forms(page, can_work)
    forms.update(bound)
    steps = []
    for step in page.steps:
        form = bound.get("step_done_form") if step.pk == done_step_pk else None
        if form is None and can_work and case.is_open and step.done_on is None:
            form = StepDoneForm(prefix=f"step{step.pk}", initial={"done_on": day})
        steps.append({"step": step, "form": form})
    problems = [
        FORM_SECTIONS[name] for name, form in bound.items() if form.is_bound and form.errors
    ]
    access_record(
        action=AccessAction.VIEW, actor=Actor.of(request), subject=case, pupil_id=case.pupil_id
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "pupil": case.pupil,
            "page": page,
            "can_work": can_work,
            "steps": steps,
            "problem_section": problems[0] if problems else "",
            # A refused form is always shown again, so its message is never lost.
            "show_provision_form": page.takes_provision or "provision_form" in bound,
            "show_review_form": page.takes_provision or "review_form" in bound,
            "show_step_form": page.plan is not None or "step_form" in bound,
            "statuses": Status,
            # Raising a concern is for anyone who sees the pupil (safeguarding's rule).
            "may_raise_concern": can_view_pupil(request.user, case.pupil),
            # The family's portal accounts (invited, last sign-in, ended), loaded by htmx, for
            # those who contact families (the page's own gate).
            "may_see_family_pages": pupil_access(request.user, case.pupil).can_view_carer_contacts,
            **forms,
        },
    )


# ---------------------------------------------------------------------------------------------
# The list


@login_required
@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    access_case_list(Actor.of(request))
    day = today()
    form = CaseFilterForm(request.GET, sites=case_sites_for(user), classes=case_classes_for(user))
    if form.is_valid():
        filters = {name: form.cleaned_data[name] for name in CaseFilterForm.FILTERS}
        cases = case_list_for(user, today=day, **filters)
        detail = form.audit_detail()
    else:
        # Show the mistake at its field rather than a list the person did not ask for.
        cases = case_list_for(user, today=day).none()
        detail = "filters not valid"
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type=CASE_SUBJECT,
        detail=f"{detail}; page {page.number}: {len(page.object_list)} cases",
    )
    filtered = any(request.GET.get(name) for name in CaseFilterForm.FILTERS)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "filtered": filtered,
            "today": day,
            "may_propose": can_propose_cases(user),
        },
    )


# ---------------------------------------------------------------------------------------------
# Proposing a case


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_propose(request: HttpRequest) -> HttpResponse:
    user = request.user
    access_case_proposal(Actor.of(request))
    pupils = pupils_for_proposal(pupils_for_new_cases(user))
    day = today()
    if request.method == "POST":
        form = CaseProposeForm(request.POST, pupils=pupils)
        if form.is_valid() and (
            created := attempt(
                form,
                lambda: services.case_propose(actor=Actor.of(request), **form.cleaned_data),
            )
        ):
            messages.success(
                request,
                "Case proposed. Record each party's agreement: remote education can start once "
                "everyone needed has agreed.",
            )
            return _back_to(created, "next")
        pupil_errors = form.errors.as_data().get("pupil", [])
        if any(error.code == "invalid_choice" for error in pupil_errors):
            note_unavailable_proposal_pupil(Actor.of(request))
        pupil = form.cleaned_data.get("pupil")
        defaults = proposal_defaults(user, pupil, today=day)
    else:
        pupil = chosen_pupil_for_proposal(Actor.of(request), pupils, request.GET.get("pupil", ""))
        defaults = proposal_defaults(user, pupil, today=day)
        form = CaseProposeForm(
            initial={
                "pupil": pupil,
                "start_date": defaults.start_date,
                "end_date": defaults.end_date,
            },
            pupils=pupils,
        )
    form.explain_time_limit(defaults.max_time_limit_school_days)
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject_type=CASE_SUBJECT,
        pupil_id=pupil.pk if pupil is not None else None,
        detail="proposal form",
    )
    return render(request, "cases/case_propose.html", {"form": form})


# ---------------------------------------------------------------------------------------------
# The case page and its actions


@login_required
@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(Actor.of(request), pk)
    return _render_case(request, case)


@login_required
@require_POST
def agreement_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(Actor.of(request), pk, to="act")
    form = AgreementForm(request.POST, prefix="agreement")
    if form.is_valid() and attempt(
        form,
        lambda: services.agreement_record(actor=Actor.of(request), case=case, **form.cleaned_data),
    ):
        party = Party(form.cleaned_data["party"]).label
        messages.success(request, f"Agreement recorded: {party.lower()}.")
        return _back_to(case, "agreements")
    return _render_case(request, case, agreement_form=form)


@login_required
@require_POST
def case_activate(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(Actor.of(request), pk, to="act")
    form = ActivateForm(request.POST, prefix="activate")
    if form.is_valid() and attempt(
        form, lambda: services.case_activate(actor=Actor.of(request), case=case)
    ):
        messages.success(
            request, "Remote education has started. Record each school day's provision."
        )
        return _back_to(case, "next")
    return _render_case(request, case, activate_form=form)


@login_required
@require_POST
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(Actor.of(request), pk, to="act")
    form = WithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid() and attempt(
        form,
        lambda: services.case_withdraw(actor=Actor.of(request), case=case, **form.cleaned_data),
    ):
        messages.success(request, "Proposal withdrawn. The pupil can have a new proposal.")
        return _back_to(case, "next")
    return _render_case(request, case, withdraw_form=form)


@login_required
@require_POST
def provision_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(Actor.of(request), pk, to="act")
    form = ProvisionForm(request.POST, prefix="provision")
    if form.is_valid() and attempt(
        form,
        lambda: services.provision_record(actor=Actor.of(request), case=case, **form.cleaned_data),
    ):
        messages.success(request, f"Provision recorded for {form.cleaned_data['date']:%d/%m/%Y}.")
        return _back_to(case, "provision")
    return _render_case(request, case, provision_form=form)


@login_required
@require_POST
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(Actor.of(request), pk, to="act")
    form = ReviewForm(request.POST, prefix="review")
    if form.is_valid() and attempt(
        form,
        lambda: services.review_record(actor=Actor.of(request), case=case, **form.cleaned_data),
    ):
        message = "Review recorded."
        if form.cleaned_data["decision"] == Decision.CLOSE:
            message += " The case is closed."
        messages.success(request, message)
        return _back_to(case, "reviews")
    return _render_case(request, case, review_form=form)


@login_required
@require_POST
def reintegration_save(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(Actor.of(request), pk, to="act")
    form = ReintegrationPlanForm(request.POST, prefix="plan")
    if form.is_valid() and attempt(
        form,
        lambda: services.reintegration_plan_save(
            actor=Actor.of(request), case=case, **form.cleaned_data
        ),
    ):
        messages.success(request, "Reintegration plan saved.")
        return _back_to(case, "reintegration")
    return _render_case(request, case, plan_form=form)


@login_required
@require_POST
def reintegration_step_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(Actor.of(request), pk, to="act")
    form = ReintegrationStepForm(request.POST, prefix="step")
    if form.is_valid() and attempt(
        form,
        lambda: services.reintegration_step_add(
            actor=Actor.of(request), case=case, **form.cleaned_data
        ),
    ):
        messages.success(request, "Step added to the reintegration plan.")
        return _back_to(case, "reintegration")
    return _render_case(request, case, step_form=form)


@login_required
@require_POST
def reintegration_step_done(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    case = access_case(Actor.of(request), pk, to="act")
    step = access_case_step(Actor.of(request), case, step_pk)
    form = StepDoneForm(request.POST, prefix=f"step{step.pk}")
    if form.is_valid() and attempt(
        form,
        lambda: services.reintegration_step_done(
            actor=Actor.of(request), step=step, **form.cleaned_data
        ),
    ):
        messages.success(request, "Step marked as done.")
        return _back_to(case, "reintegration")
    return _render_case(request, case, done_step_pk=step.pk, step_done_form=form)


@login_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(Actor.of(request), pk, to="act")
    form = CloseForm(request.POST, prefix="close")
    if form.is_valid() and attempt(
        form,
        lambda: services.case_close(actor=Actor.of(request), case=case, **form.cleaned_data),
    ):
        messages.success(request, "Case closed.")
        return _back_to(case)
    return _render_case(request, case, close_form=form)


@login_required
@require_http_methods(["GET", "HEAD"])
def pupil_cases(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    """The pupil's cases, as a section the pupil's record loads into itself (htmx).

    The pupil record lives in schools, below this app, so it links here rather than importing
    cases. Someone who may see the pupil but not their cases gets an empty section.
    """
    pupil, _access = access_pupil(Actor.of(request), pupil_pk)
    cases = list(cases_visible_to(request.user).filter(pupil=pupil).order_by("-start_date", "-id"))
    if cases:
        access_record(
            action=AccessAction.LIST,
            actor=Actor.of(request),
            subject_type=CASE_SUBJECT,
            pupil_id=pupil.pk,
            detail=f"{len(cases)} cases of one pupil",
        )
    return render(
        request,
        "cases/_pupil_cases.html",
        {
            "pupil": pupil,
            "cases": cases,
            "may_read_cases": can_list_cases(request.user),
            "may_propose": can_open_case_for(request.user, pupil)
            and not any(case.is_open for case in cases),
        },
    )
