"""Device and connectivity loans, and help given to families to get online (policy section
3.5). IT staff record them for the pupils they may see; SLT and the headteacher read the lists
(403 when they try to act); everyone else gets an audited 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from itsupport import permissions, selectors, services
from itsupport.forms import AssistanceForm, LoanFilterForm, LoanForm, ReturnForm
from itsupport.loans.permissions import access_assistance, access_loan, access_loans
from schools.calendar import today

PER_PAGE = 25


def prefilled_pupil(request: HttpRequest, pupils) -> dict[str, int]:
    """The form's initial pupil from ?pupil=<id> (from the pupil's record), if allowed."""
    chosen = permissions.access_pupil_choice(
        Actor.of(request), request.GET.get("pupil", ""), pupils=pupils
    )
    return {} if chosen is None else {"pupil": chosen}


@login_required
@require_safe
def loan_list(request: HttpRequest) -> HttpResponse:
    access_loans(Actor.of(request))
    day = today()
    form = LoanFilterForm(request.GET)
    show = (form.cleaned_data.get("show") if form.is_valid() else "") or selectors.LoanFilter.OUT
    loans = selectors.loan_list_for(request.user, show=show, today=day)
    page = Paginator(loans, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    access_record_many(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subjects=[(loan, loan.pupil_id) for loan in rows],
        detail=f"loans: {show}",
    )
    return render(
        request,
        "itsupport/loan_list.html",
        {
            "form": form,
            "show": show,
            "page": page,
            "loans": rows,
            "today": day,
            "can_lend": permissions.can_lend(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def loan_new(request: HttpRequest) -> HttpResponse:
    access_loans(Actor.of(request), to="act")
    pupils = permissions.pupils_for_loans(request.user)
    initial = {"lent_on": today(), **prefilled_pupil(request, pupils)}
    form = LoanForm(request.POST or None, pupils=pupils, initial=initial)
    if request.method == "POST" and form.is_valid():

        def save():
            return services.loan_record(actor=Actor.of(request), **form.cleaned_data)

        if attempt(form, save):
            messages.success(request, "Loan recorded.")
            return HttpResponseRedirect(reverse("itsupport:loan_list"))
    return render(request, "itsupport/loan_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def loan_return(request: HttpRequest, pk: int) -> HttpResponse:
    loan = access_loan(Actor.of(request), pk, to="act")
    form = ReturnForm(request.POST or None, initial={"returned_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save():
            return services.loan_return(
                actor=Actor.of(request),
                loan=loan,
                returned_on=data["returned_on"],
                condition=data["condition"],
                notes=data["notes"],
            )

        if attempt(form, save):
            messages.success(request, f"{loan} is back in school.")
            return HttpResponseRedirect(reverse("itsupport:loan_list"))
    access_record(
        action=AccessAction.VIEW, actor=Actor.of(request), subject=loan, pupil_id=loan.pupil_id
    )
    return render(request, "itsupport/loan_return.html", {"form": form, "loan": loan})


@login_required
@require_safe
def assistance_list(request: HttpRequest) -> HttpResponse:
    access_assistance(Actor.of(request))
    records = permissions.assistance_visible_to(request.user).select_related(
        "pupil__school_class", "given_by"
    )
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    access_record_many(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subjects=[(record, record.pupil_id) for record in rows],
        detail="family assistance",
    )
    return render(
        request,
        "itsupport/assistance_list.html",
        {"page": page, "records": rows, "can_lend": permissions.can_lend(request.user)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assistance_new(request: HttpRequest) -> HttpResponse:
    access_assistance(Actor.of(request), to="act")
    pupils = permissions.pupils_for_loans(request.user)
    initial = {"given_on": today(), **prefilled_pupil(request, pupils)}
    form = AssistanceForm(request.POST or None, pupils=pupils, initial=initial)
    if request.method == "POST" and form.is_valid():

        def save():
            return services.assistance_record(actor=Actor.of(request), **form.cleaned_data)

        if attempt(form, save):
            messages.success(request, "Help recorded.")
            return HttpResponseRedirect(reverse("itsupport:assistance_list"))
    return render(request, "itsupport/assistance_new.html", {"form": form})
