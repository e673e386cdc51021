"""Breach register pages. Thin: form → gate → service → redirect.

Anyone working at a school may flag a breach. The school's DPO and headteacher read every
breach; the DPO acts on it (the headteacher gets 403 on the actions). The person who flagged a
breach sees what they wrote and its status only, and 403 on the actions. Everyone else gets
the same audited 404 as for a breach that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from dpo import services
from dpo.clock import clock_for
from dpo.forms import (
    AssessmentForm,
    BreachForm,
    CloseForm,
    DecisionForm,
    IcoReportForm,
    SubjectsToldForm,
)
from dpo.models import Breach
from dpo.permissions import (
    BREACH_SUBJECT,
    access_breach,
    access_breach_register,
    can_handle_breach,
    can_oversee_breaches,
    can_read_breach,
    schools_to_report_for,
)
from dpo.selectors import breach_for_page, breaches_for_list, with_clocks

PAGE_SIZE = 25


# --- Register --------------------------------------------------------------------------------


@login_required
@require_safe
def breach_list(request: HttpRequest) -> HttpResponse:
    access_breach_register(Actor.of(request))
    page = Paginator(breaches_for_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    breaches = with_clocks(page.object_list)
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type=BREACH_SUBJECT,
        detail=f"{len(breaches)} breaches",
    )
    return render(
        request,
        "dpo/breach_list.html",
        {
            "page": page,
            "breaches": breaches,
            "oversees": can_oversee_breaches(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def breach_new(request: HttpRequest) -> HttpResponse:
    access_breach_register(Actor.of(request))
    schools = schools_to_report_for(request.user)
    form = BreachForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if created := attempt(
            form,
            lambda: services.breach_flag(
                actor=Actor.of(request),
                school=data["school"],
                what_happened=data["what_happened"],
                discovered_at=data["discovered_at"],
                data_affected=data["data_affected"],
                people_affected=data["people_affected"],
                containment=data["containment"],
            ),
        ):
            messages.success(request, "Thank you. The data protection officer has been told.")
            return HttpResponseRedirect(created.get_absolute_url())
    return render(request, "dpo/breach_new.html", {"form": form})


def _step_forms(breach: Breach) -> dict[str, Form]:
    if breach.is_closed:
        return {}
    return {
        "assessment_form": AssessmentForm(prefix="assessment"),
        "decision_form": DecisionForm(prefix="decision"),
        "ico_form": IcoReportForm(prefix="ico"),
        "told_form": SubjectsToldForm(prefix="told"),
        "close_form": CloseForm(prefix="close"),
    }


def _render_detail(request: HttpRequest, breach: Breach, **bound: Form) -> HttpResponse:
    if bound:
        breach = breach_for_page(breach.pk)
    full = can_read_breach(request.user, breach)
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=breach,
        detail="" if full else "reporter's receipt",
    )
    context = {"breach": breach, "clock": clock_for(breach), "full": full}
    if can_handle_breach(request.user, breach):
        context.update(_step_forms(breach))
        context.update(bound)
        # A refusal on a closed breach has no form left on the page to show it beside.
        context["refusals"] = [e for form in bound.values() for e in form.non_field_errors()]
    return render(
        request,
        "dpo/breach_detail.html" if full else "dpo/breach_receipt.html",
        context,
        status=400 if bound else 200,
    )


@login_required
@require_safe
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, access_breach(Actor.of(request), pk))


def _step_view(form_class, prefix: str, context_name: str, act, done: str):
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        breach = access_breach(Actor.of(request), pk, to="act")
        form = form_class(request.POST, prefix=prefix)
        if form.is_valid() and attempt(
            form, lambda: act(actor=Actor.of(request), breach=breach, **form.cleaned_data)
        ):
            messages.success(request, done)
            return HttpResponseRedirect(breach.get_absolute_url())
        return _render_detail(request, breach, **{context_name: form})

    return view


breach_assess = _step_view(
    AssessmentForm, "assessment", "assessment_form", services.breach_assess, "Assessment recorded."
)
breach_decide = _step_view(
    DecisionForm, "decision", "decision_form", services.breach_decide, "Decision recorded."
)
breach_report = _step_view(
    IcoReportForm, "ico", "ico_form", services.breach_report_to_ico, "Report to the ICO recorded."
)
breach_subjects_told = _step_view(
    SubjectsToldForm,
    "told",
    "told_form",
    services.breach_record_subjects_told,
    "Recorded.",
)
breach_close = _step_view(CloseForm, "close", "close_form", services.breach_close, "Closed.")
