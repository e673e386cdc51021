"""Closures of a site or class, their class overview, today's provision checklist and the
attendance export (policy sections 2 and 3.2).

Thin: form → gate → service or selector → redirect, or an htmx partial when the request came
from htmx. Every page and export is audited, and so is every refusal.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.attendance import attendance_csv, export_filename, remote_days
from cases.closures.forms import (
    AttendanceExportForm,
    ClosureCheckForm,
    ClosureForm,
    PaperDeliveryForm,
    ProvisionForm,
)
from cases.closures.permissions import (
    access_attendance_export,
    access_closing,
    access_closure_case,
    access_closure_list,
    access_closure_new,
    access_closure_overview,
    access_provision_row,
    access_provision_today,
    attendance_pupils_for,
    attendance_sites_for,
    can_edit_class_overview,
    can_export_attendance,
    can_open_closures,
    can_record_provision,
    closable_classes,
    closable_sites,
)
from cases.closures.selectors import (
    closure_overview_row,
    closure_overview_rows,
    closures_for_list,
    overview_counts,
    provision_row,
    provision_today_rows,
)
from cases.models import Case, Closure
from cases.services import (
    closure_check_update,
    closure_open,
    paper_delivery_record,
    provision_record,
)
from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.calendar import today
from schools.models import SchoolClass

ALREADY_RECORDED = "Provision for today is already recorded, so nothing new was saved."

# --- Helpers ---------------------------------------------------------------------------------


def _add_service_errors(
    form: Form, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's refusal at the field that caused it, or above the form."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        field = aliases.get(field, field)
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in errors:
            form.add_error(target, message)


def _overview_url(case: Case) -> str:
    return reverse(
        "cases:closure_overview", args=[case.overview_closure.pk, case.pupil.school_class_id]
    )


# --- Closures --------------------------------------------------------------------------------


@login_required
@require_safe
def closure_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    access_closure_list(Actor.of(request))
    entries = closures_for_list(user)
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type="cases.closure",
        detail=f"{len(entries)} closures",
    )
    return render(
        request,
        "cases/closure_list.html",
        {
            "entries": entries,
            "can_open_closures": can_open_closures(user),
            "can_record_provision": can_record_provision(user),
            "can_export_attendance": can_export_attendance(user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def closure_new(request: HttpRequest) -> HttpResponse:
    """Close a site or a class: a case for every pupil on roll there, in one step."""
    user = request.user
    access_closure_new(Actor.of(request))
    form = ClosureForm(
        request.POST if request.method == "POST" else None,
        # An archived site or class takes no new work.
        sites=closable_sites(user).current(),
        classes=closable_classes(user).current(),
    )
    if request.method == "POST" and form.is_valid():
        site, school_class = form.cleaned_data["site"], form.cleaned_data["school_class"]
        access_closing(Actor.of(request), site=site, school_class=school_class)
        try:
            closure = closure_open(
                actor=Actor.of(request),
                school=form.school,
                reason=form.cleaned_data["reason"],
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                site=site,
                school_class=school_class,
            )
        except ValidationError as error:
            _add_service_errors(form, error, {"site": "closing", "school_class": "closing"})
        else:
            return _closure_opened(request, closure)
    return render(request, "cases/closure_new.html", {"form": form})


def _closure_opened(request: HttpRequest, closure: Closure) -> HttpResponse:
    opened = closure.cases.count()
    joined = closure.joined_cases.count()
    place = closure.school_class or closure.site
    also = (
        f" {joined} pupil{'s' if joined != 1 else ''} already on their own case joined it."
        if joined
        else ""
    )
    messages.success(
        request,
        f"{place} is closed from {closure.start_date:%d/%m/%Y} to {closure.end_date:%d/%m/%Y}: "
        f"{opened} remote-education case{'s' if opened != 1 else ''} opened.{also} Complete the "
        "class overview after the first contact with each family.",
    )
    if closure.school_class_id is not None:
        return HttpResponseRedirect(
            reverse("cases:closure_overview", args=[closure.pk, closure.school_class_id])
        )
    return HttpResponseRedirect(f"{reverse('cases:closure_list')}#closure-{closure.pk}")


# --- The class overview ----------------------------------------------------------------------


def _overview_context(
    request: HttpRequest,
    closure: Closure,
    school_class: SchoolClass,
    *,
    bound: dict[tuple[str, int], Form] | None = None,
) -> dict[str, object]:
    """Rows, counts and forms for the overview. ``bound`` holds a posted form to show again
    with its errors, keyed by ("check" or "paper", case id)."""
    bound = bound or {}
    rows = closure_overview_rows(closure, school_class)
    can_edit = can_edit_class_overview(request.user, school_class)
    day = today()
    for row in rows:
        pk = row.case.pk
        row.check_form = bound.get(("check", pk)) or ClosureCheckForm(
            initial={"wellbeing": row.wellbeing, "internet_access": row.internet_access},
            auto_id=f"check-{pk}-%s",
        )
        row.paper_form = bound.get(("paper", pk)) or PaperDeliveryForm(
            initial={"delivered_on": day}, auto_id=f"paper-{pk}-%s"
        )
    return {
        "closure": closure,
        "school_class": school_class,
        "rows": rows,
        "paper_rows": [row for row in rows if row.needs_paper and row.case.is_open],
        "counts": overview_counts(rows),
        "can_edit": can_edit,
    }


def _overview_response(
    request: HttpRequest,
    closure: Closure,
    school_class: SchoolClass,
    *,
    bound: dict[tuple[str, int], Form] | None = None,
) -> HttpResponse:
    context = _overview_context(request, closure, school_class, bound=bound)
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject=closure,
        detail=f"class overview of class {school_class.pk}: {len(context['rows'])} pupils",
    )
    return render(request, "cases/closure_overview.html", context)


@login_required
@require_safe
def closure_overview(request: HttpRequest, pk: int, class_pk: int) -> HttpResponse:
    closure, school_class = access_closure_overview(Actor.of(request), pk, class_pk)
    return _overview_response(request, closure, school_class)


@login_required
@require_POST
def closure_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one pupil's row of the class overview: wellbeing and internet access."""
    case = access_closure_case(Actor.of(request), pk, to="act")
    before = closure_overview_row(case.pk)
    form = ClosureCheckForm(request.POST, auto_id=f"check-{pk}-%s")
    saved = False
    if form.is_valid():
        try:
            closure_check_update(
                actor=Actor.of(request),
                case=case,
                wellbeing=form.cleaned_data["wellbeing"],
                internet_access=form.cleaned_data["internet_access"],
            )
            saved = True
        except ValidationError as error:
            _add_service_errors(form, error)
    if not request.htmx:
        if saved:
            messages.success(request, f"Saved for {case.pupil.display_name}.")
            return HttpResponseRedirect(f"{_overview_url(case)}#pupil-{case.pk}")
        return _overview_response(
            request,
            case.overview_closure,
            case.pupil.school_class,
            bound={("check", case.pk): form},
        )
    context = _overview_context(
        request,
        case.overview_closure,
        case.pupil.school_class,
        bound={} if saved else {("check", case.pk): form},
    )
    row = next(row for row in context["rows"] if row.case.pk == case.pk)
    changed_paper = before is not None and before.needs_paper != row.needs_paper
    return render(
        request,
        "cases/closure_check_response.html",
        {**context, "row": row, "saved": saved, "refresh_paper": saved and changed_paper},
    )


@login_required
@require_POST
def closure_paper(request: HttpRequest, pk: int) -> HttpResponse:
    """Record paper copies delivered to one pupil's home by the staff team."""
    case = access_closure_case(Actor.of(request), pk, to="act", what="paper delivery")
    form = PaperDeliveryForm(request.POST, auto_id=f"paper-{pk}-%s")
    saved = False
    if form.is_valid():
        delivered_on = form.cleaned_data["delivered_on"]
        if delivered_on < case.start_date:
            form.add_error(
                "delivered_on",
                f"The closure started on {case.start_date:%d/%m/%Y}: give a date from then on.",
            )
        else:
            try:
                paper_delivery_record(
                    actor=Actor.of(request),
                    case=case,
                    delivered_on=delivered_on,
                    notes=form.cleaned_data["notes"],
                )
                saved = True
            except ValidationError as error:
                _add_service_errors(form, error)
    if not request.htmx:
        if saved:
            messages.success(request, f"Paper delivery recorded for {case.pupil.display_name}.")
            return HttpResponseRedirect(f"{_overview_url(case)}#paper-{case.pk}")
        return _overview_response(
            request,
            case.overview_closure,
            case.pupil.school_class,
            bound={("paper", case.pk): form},
        )
    row = closure_overview_row(case.pk)
    row.paper_form = (
        PaperDeliveryForm(initial={"delivered_on": today()}, auto_id=f"paper-{pk}-%s")
        if saved
        else form
    )
    return render(
        request,
        "cases/closure_paper_row.html",
        {"row": row, "paper_saved": saved, "can_edit": True},
    )


# --- Provision today -------------------------------------------------------------------------


def _provision_form(pk: int, data: object = None) -> ProvisionForm:
    return ProvisionForm(data, auto_id=f"provision-{pk}-%s")


def _provision_page(request: HttpRequest, bound: dict[int, ProvisionForm] | None = None):
    day = today()
    rows, school_day = provision_today_rows(request.user, day)
    bound = bound or {}
    for row in rows:
        row.form = bound.get(row.case.pk) or _provision_form(row.case.pk)
    recorded = sum(1 for row in rows if row.provision is not None)
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type="cases.provision",
        detail=f"provision on {day:%Y-%m-%d}: {len(rows)} pupils, {recorded} recorded",
    )
    return render(
        request,
        "cases/provision_today.html",
        {"day": day, "rows": rows, "school_day": school_day, "recorded": recorded},
    )


@login_required
@require_safe
def provision_today(request: HttpRequest) -> HttpResponse:
    """Today's checklist: for each pupil learning remotely, is today's provision recorded?"""
    access_provision_today(Actor.of(request))
    return _provision_page(request)


@login_required
@require_POST
def provision_today_record(request: HttpRequest, pk: int) -> HttpResponse:
    day = today()
    row = access_provision_row(Actor.of(request), pk, day, to="act")
    case = row.case
    form = _provision_form(pk, request.POST)
    saved = already = False
    if row.provision is not None:
        already = True
    elif form.is_valid():
        flags = {name: form.cleaned_data[name] for name in form.fields if name != "feedback"}
        try:
            provision_record(
                actor=Actor.of(request),
                case=case,
                date=day,
                feedback=form.cleaned_data["feedback"],
                **flags,
            )
            saved = True
        except IntegrityError:
            # Two clicks at once: the database kept one record, and this is the other.
            already = True
        except ValidationError as error:
            # Refused because another click got there first, or for a reason to show.
            row = provision_row(pk, day)
            if row.provision is not None:
                already = True
            else:
                _add_service_errors(form, error, {"date": NON_FIELD_ERRORS})
    if not request.htmx:
        if saved:
            messages.success(request, f"Today's provision recorded for {case.pupil.display_name}.")
        elif already:
            messages.info(request, ALREADY_RECORDED)
        else:
            return _provision_page(request, bound={pk: form})
        return HttpResponseRedirect(f"{reverse('cases:provision_today')}#provision-{pk}")
    if saved or already:
        row = provision_row(pk, day)
        form = _provision_form(pk)
    row.form = form
    return render(
        request,
        "cases/provision_today_row.html",
        {"row": row, "saved": saved, "already": already and not saved},
    )


# --- Attendance export -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendance_export(request: HttpRequest) -> HttpResponse:
    """A CSV of every session each pupil spent on remote education, for the register."""
    user = request.user
    access_attendance_export(Actor.of(request))
    data = request.POST if request.method == "POST" else None
    form = AttendanceExportForm(data, sites=attendance_sites_for(user))
    if data is None or not form.is_valid():
        return render(request, "cases/attendance_export.html", {"form": form})
    date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    site = form.cleaned_data["site"]
    rows = remote_days(
        pupils=attendance_pupils_for(user),
        date_from=date_from,
        date_to=date_to,
        today=today(),
        site=site,
    )
    content, count = attendance_csv(rows)
    access_record(
        action=AccessAction.EXPORT,
        actor=Actor.of(request),
        subject_type="cases.case",
        detail=(
            f"attendance {date_from:%Y-%m-%d} to {date_to:%Y-%m-%d}, "
            f"site {site.pk if site else 'all'}: {count} rows"
        ),
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(date_from, date_to)}"'
    )
    response["Cache-Control"] = "no-store, private, max-age=0"
    return response
