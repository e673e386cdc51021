"""Today's contacts (policy section 3.2): the pupils a teacher contacts today, logging a contact
inline in at most three taps, and a case's contact history with the DSL team's plan.

Thin: form → gate → service → redirect, or an htmx partial (the pupil's row) when the request
came from htmx. Every page is audited, and so is every refusal.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.models import Case
from contacts.forms import ContactLogForm, ContactPlanForm
from contacts.models import Channel
from contacts.permissions import (
    access_case_contacts,
    access_contact_plan,
    access_today,
    can_decide_plan,
    can_log_contact,
)
from contacts.selectors import (
    case_contacts,
    family_reports_for,
    plan_of,
    plan_versions,
    plan_weekday_names,
    today_counts,
    today_page,
    today_row,
)
from contacts.services import AlreadyRecorded, contact_log_record, contact_plan_save
from core.actor import Actor
from core.forms import show_service_errors
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.calendar import today

CONTACTS_PER_PAGE = 20
ALREADY_RECORDED = (
    "Already recorded: this contact was logged a moment ago, so nothing new was saved."
)


def raise_concern_href(contact_pk: int) -> str:
    """The safeguarding page to raise a concern from this contact. A contact hands off to it
    by the URL's name only: contacts never imports safeguarding."""
    return f"{reverse('safeguarding:concern_new')}?contact={contact_pk}"


# --- Helpers ---------------------------------------------------------------------------------


def _new_form(row, pk: int) -> ContactLogForm:
    channel = row.preferred_channel if row is not None else ""
    return ContactLogForm(
        initial={
            "channel": channel if channel in Channel.values else Channel.TELEPHONE,
            "kind": row.suggested_kind if row is not None else "daily",
            "submission_key": uuid.uuid4(),
        },
        auto_id=f"log-{pk}-%s",
    )


def _today_url(case_pk: int | None = None) -> str:
    anchor = f"#contact-row-{case_pk}" if case_pk else ""
    return reverse("contacts:today") + anchor


# --- Today -----------------------------------------------------------------------------------


@login_required
@require_safe
def today_view(request: HttpRequest) -> HttpResponse:
    day = today()
    access_today(Actor.of(request), day)
    page = today_page(request.user, day)
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type="contacts.contactlog",
        detail=f"today {day:%Y-%m-%d}: {len(page.rows)} pupils, {page.contacted} contacted",
    )
    return render(request, "contacts/today.html", {"page": page, "day": day, "rows": page.rows})


def _row_response(
    request: HttpRequest, row, *, form=None, logged=None, already=None
) -> HttpResponse:
    row.form = form
    context = {
        "row": row,
        "logged": logged,
        "already": already,
        "concern_href": raise_concern_href(logged.pk) if logged is not None else "",
        # After a contact, the page's "n of m contacted" is brought up to date too.
        "counts": today_counts(request.user, row.day) if logged or already else None,
    }
    return render(request, "contacts/_today_row_response.html", context)


def _full_form_page(request: HttpRequest, row, form: ContactLogForm) -> HttpResponse:
    row.form = form
    return render(request, "contacts/contact_log.html", {"row": row, "day": row.day})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Tap 1 (GET): the pupil's row opens a compact form. Tap 2 (POST): an outcome button
    records the contact; the row comes back showing it."""
    case = access_case_contacts(Actor.of(request), pk, to="act")
    day = today()
    row = today_row(request.user, case.pk, day)
    if request.method != "POST":
        access_record(
            action=AccessAction.VIEW,
            actor=Actor.of(request),
            subject=case,
            pupil_id=case.pupil_id,
            detail="contact form",
        )
        form = _new_form(row, case.pk) if row.loggable else None
        if request.htmx:
            return _row_response(request, row, form=form)
        return _full_form_page(request, row, form)

    form = ContactLogForm(request.POST, auto_id=f"log-{pk}-%s")
    logged = already = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            logged = contact_log_record(
                actor=Actor.of(request),
                case=case,
                channel=data["channel"],
                outcome=data["outcome"],
                kind=data["kind"],
                contacted_at=data["contacted_at"],
                pupil_well=data["pupil_well"],
                wellbeing_notes=data["wellbeing_notes"],
                work_feedback=data["work_feedback"],
                late_reason=data["late_reason"],
                submission_key=data["submission_key"],
            )
        except AlreadyRecorded as error:
            already = error.contact
        except ValidationError as error:
            show_service_errors(form, error)
    if logged is None and already is None:
        access_record(
            action=AccessAction.VIEW,
            actor=Actor.of(request),
            subject=case,
            pupil_id=case.pupil_id,
            detail="contact form refused: " + ",".join(sorted(form.errors)),
        )
    if not request.htmx:
        if logged is not None:
            messages.success(
                request,
                f"Contact logged for {case.pupil.display_name}: {logged.get_outcome_display()}.",
            )
            return HttpResponseRedirect(_today_url(case.pk))
        if already is not None:
            messages.info(request, ALREADY_RECORDED)
            return HttpResponseRedirect(_today_url(case.pk))
        return _full_form_page(request, row, form)
    if logged is None and already is None:
        return _row_response(request, row, form=form)
    row = today_row(request.user, case.pk, day)
    return _row_response(request, row, logged=logged, already=already)


# --- Case contact history and plan -----------------------------------------------------------


def _history_response(
    request: HttpRequest, case: Case, plan_form: ContactPlanForm | None = None
) -> HttpResponse:
    paginator = Paginator(case_contacts(case), CONTACTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    plan = plan_of(case)
    may_decide = can_decide_plan(request.user, case)
    if may_decide and plan_form is None:
        plan_form = ContactPlanForm(
            initial={
                "extra_calls_per_day": plan.extra_calls_per_day if plan else 0,
                "extra_call_weekdays": [
                    d for d in (plan.extra_call_weekdays.split(",") if plan else []) if d
                ],
                "decided_reason": plan.decided_reason if plan else "",
                "wellbeing_check_by": plan.wellbeing_check_by_id if plan else None,
            },
            auto_id="plan-%s",
            school_id=case.pupil.school_id,
        )
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=case,
        pupil_id=case.pupil_id,
        detail=f"contact history page {page.number}: {len(page.object_list)} of {paginator.count}",
    )
    return render(
        request,
        "contacts/contact_history.html",
        {
            "case": case,
            "pupil": case.pupil,
            "page_obj": page,
            "plan": plan,
            "plan_days": plan_weekday_names(plan),
            "plan_versions": plan_versions(plan),
            "plan_form": plan_form if may_decide else None,
            "may_log": can_log_contact(request.user, case, today()),
            "family_reports": family_reports_for(case),
        },
    )


@login_required
@require_safe
def case_contacts_view(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = access_case_contacts(Actor.of(request), case_pk)
    return _history_response(request, case)


@login_required
@require_POST
def contact_plan(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The DSL team decides more frequent calls (with a reason); others who see the case: 403."""
    case = access_contact_plan(Actor.of(request), case_pk)
    form = ContactPlanForm(request.POST, auto_id="plan-%s", school_id=case.pupil.school_id)
    if form.is_valid():
        try:
            contact_plan_save(
                actor=Actor.of(request),
                case=case,
                extra_calls_per_day=form.cleaned_data["extra_calls_per_day"],
                extra_call_weekdays=form.weekdays_value,
                decided_reason=form.cleaned_data["decided_reason"],
                wellbeing_check_by=form.cleaned_data["wellbeing_check_by"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, "Contact plan saved.")
            return HttpResponseRedirect(reverse("contacts:case_contacts", args=[case.pk]) + "#plan")
    return _history_response(request, case, plan_form=form)
