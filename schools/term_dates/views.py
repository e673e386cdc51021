"""The school calendar's pages: terms, INSET and closure days, import from a file, copy a
year forward. Thin: form → gate → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.actor import Actor
from core.forms import attempt, show_service_errors
from schools.calendar import today
from schools.models import School
from schools.term_dates import services
from schools.term_dates.forms import (
    CalendarFileForm,
    CalendarImportConfirmForm,
    ClosureChangeForm,
    ClosureForm,
    CopyForwardForm,
    TermForm,
)
from schools.term_dates.permissions import (
    access_calendar,
    access_calendar_list,
    access_closure_day,
    access_term,
    can_keep_calendar,
)
from schools.term_dates.reading import CSV_HEADERS, CalendarFile, read_calendar_file
from schools.term_dates.selectors import calendar_schools, calendar_year

GET_OR_POST = ["GET", "HEAD", "POST"]
PREVIEW_HOURS = 1
# School years a calendar page may be asked for; anything else shows the current year.
FIRST_YEAR, LAST_YEAR = 2000, 2098


def _calendar_url(school_id: int, year: int | None = None) -> str:
    url = reverse("schools:calendar_detail", args=[school_id])
    return f"{url}?year={year}" if year is not None else url


def _form_page(request: HttpRequest, school: School, form, title: str, action: str) -> HttpResponse:
    return render(
        request,
        "schools/term_dates/form.html",
        {"school": school, "form": form, "title": title, "action": action},
    )


@login_required
@require_safe
def calendar_list(request: HttpRequest) -> HttpResponse:
    access_calendar_list(Actor.of(request))
    return render(
        request,
        "schools/term_dates/list.html",
        {"schools": calendar_schools(request.user, today())},
    )


@login_required
@require_safe
def calendar_detail(request: HttpRequest, school_pk: int) -> HttpResponse:
    school = access_calendar(Actor.of(request), school_pk)
    year = request.GET.get("year", "")
    asked = int(year) if year.isdigit() and FIRST_YEAR <= int(year) <= LAST_YEAR else None
    calendar = calendar_year(school, asked, today())
    return render(
        request,
        "schools/term_dates/detail.html",
        {
            "calendar": calendar,
            "school": school,
            "can_change": can_keep_calendar(request.user, school.pk, "act"),
        },
    )


# --- Terms ------------------------------------------------------------------------------------


@login_required
@require_http_methods(GET_OR_POST)
def term_new(request: HttpRequest, school_pk: int) -> HttpResponse:
    actor = Actor.of(request)
    school = access_calendar(actor, school_pk, to="act")
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        term = attempt(
            form, lambda: services.term_add(actor=actor, school=school, **form.cleaned_data)
        )
        if term is not None:
            messages.success(request, f"{term.name} added.")
            return HttpResponseRedirect(
                _calendar_url(school.pk, services.school_year_of(term.first_day))
            )
    return _form_page(
        request, school, form, "Add a term", reverse("schools:term_new", args=[school.pk])
    )


@login_required
@require_http_methods(GET_OR_POST)
def term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    term = access_term(actor, pk, to="act")
    initial = {"name": term.name, "first_day": term.first_day, "last_day": term.last_day}
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = attempt(
            form, lambda: services.term_change(actor=actor, term=term, **form.cleaned_data)
        )
        if changed is not None:
            messages.success(request, f"{changed.name} changed.")
            return HttpResponseRedirect(
                _calendar_url(term.school_id, services.school_year_of(changed.first_day))
            )
    return _form_page(
        request, term.school, form, f"Change {term.name}", reverse("schools:term_edit", args=[pk])
    )


def _remove(request: HttpRequest, school_id: int, action, done: str) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(_calendar_url(school_id))


@login_required
@require_POST
def term_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    term = access_term(actor, pk, to="act")
    return _remove(
        request,
        term.school_id,
        lambda: services.term_remove(actor=actor, term=term),
        f"{term.name} removed.",
    )


# --- Days off ---------------------------------------------------------------------------------


@login_required
@require_http_methods(GET_OR_POST)
def closure_new(request: HttpRequest, school_pk: int) -> HttpResponse:
    actor = Actor.of(request)
    school = access_calendar(actor, school_pk, to="act")
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        days = attempt(
            form, lambda: services.closure_add(actor=actor, school=school, **form.cleaned_data)
        )
        if days is not None:
            messages.success(request, f"{len(days)} day(s) off added.")
            return HttpResponseRedirect(
                _calendar_url(school.pk, services.school_year_of(days[0].date))
            )
    return _form_page(
        request,
        school,
        form,
        "Add an INSET or closure day",
        reverse("schools:closure_new", args=[school.pk]),
    )


@login_required
@require_http_methods(GET_OR_POST)
def closure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    closure = access_closure_day(actor, pk, to="act")
    initial = {"date": closure.date, "kind": closure.kind, "description": closure.description}
    form = ClosureChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = attempt(
            form,
            lambda: services.closure_change(actor=actor, closure=closure, **form.cleaned_data),
        )
        if changed is not None:
            messages.success(request, f"{changed} changed.")
            return HttpResponseRedirect(
                _calendar_url(closure.school_id, services.school_year_of(changed.date))
            )
    return _form_page(
        request,
        closure.school,
        form,
        f"Change {closure}",
        reverse("schools:closure_edit", args=[pk]),
    )


@login_required
@require_POST
def closure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    closure = access_closure_day(actor, pk, to="act")
    return _remove(
        request,
        closure.school_id,
        lambda: services.closure_remove(actor=actor, closure=closure),
        f"{closure} removed.",
    )


# --- Import -----------------------------------------------------------------------------------


def _signer_salt(school: School, request: HttpRequest) -> str:
    return f"schools.calendar-import.{school.pk}.{request.user.pk}"


@login_required
@require_http_methods(GET_OR_POST)
def calendar_import(request: HttpRequest, school_pk: int) -> HttpResponse:
    """Upload a file: the preview (a dry run: nothing is written) says what it would change."""
    school = access_calendar(Actor.of(request), school_pk, to="act")
    form = CalendarFileForm(request.POST or None, request.FILES or None)
    plan = confirm = None
    if request.method == "POST" and form.is_valid():
        try:
            parsed = read_calendar_file(
                form.cleaned_data["file"].read(), form.cleaned_data["file_format"]
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            plan = services.calendar_import_plan(school=school, parsed=parsed)
            if plan.problems:
                show_service_errors(form, ValidationError({"file": plan.problems}))
            elif plan.changes:
                token = signing.dumps(
                    {"source": form.cleaned_data["file_format"], "file": parsed.to_data()},
                    salt=_signer_salt(school, request),
                    compress=True,
                )
                confirm = CalendarImportConfirmForm(initial={"plan": token})
    return render(
        request,
        "schools/term_dates/import.html",
        {
            "school": school,
            "form": form,
            "plan": plan,
            "confirm": confirm,
            "csv_headers": ",".join(CSV_HEADERS),
        },
    )


@login_required
@require_POST
def calendar_import_confirm(request: HttpRequest, school_pk: int) -> HttpResponse:
    """Import what the preview showed, in one transaction (all of it or nothing)."""
    actor = Actor.of(request)
    school = access_calendar(actor, school_pk, to="act")
    form = CalendarImportConfirmForm(request.POST)
    try:
        data = signing.loads(
            form.data.get("plan", ""),
            salt=_signer_salt(school, request),
            max_age=PREVIEW_HOURS * 3600,
        )
    except signing.BadSignature:
        messages.error(request, "The preview has expired. Upload the file again.")
        return HttpResponseRedirect(reverse("schools:calendar_import", args=[school.pk]))
    try:
        plan = services.calendar_import(
            actor=actor,
            school=school,
            parsed=CalendarFile.from_data(data["file"]),
            source=data["source"],
        )
    except ValidationError as error:
        messages.error(request, "Nothing was imported: " + " ".join(error.messages))
        return HttpResponseRedirect(reverse("schools:calendar_import", args=[school.pk]))
    messages.success(
        request,
        f"Imported: {len(plan.terms_added)} terms added, {len(plan.terms_changed)} changed, "
        f"{len(plan.days_added)} days off added, {len(plan.days_changed)} changed.",
    )
    return HttpResponseRedirect(_calendar_url(school.pk))


# --- Copy a year forward, confirm drafts ------------------------------------------------------


@login_required
@require_http_methods(GET_OR_POST)
def calendar_copy_forward(request: HttpRequest, school_pk: int) -> HttpResponse:
    actor = Actor.of(request)
    school = access_calendar(actor, school_pk, to="act")
    years = calendar_year(school, None, today()).years
    form = CopyForwardForm(
        request.POST or None,
        years=[(year, services.school_year_label(year)) for year in years],
        initial={"year": services.school_year_of(today())},
    )
    if request.method == "POST" and form.is_valid():
        copied = attempt(
            form,
            lambda: services.calendar_copy_forward(
                actor=actor, school=school, year=form.cleaned_data["year"]
            ),
        )
        if copied is not None:
            messages.success(
                request,
                f"Copied to {services.school_year_label(copied.year)} as drafts: adjust the "
                "dates, then confirm them.",
            )
            return HttpResponseRedirect(_calendar_url(school.pk, copied.year))
    return _form_page(
        request,
        school,
        form,
        "Copy a year forward as a draft",
        reverse("schools:calendar_copy_forward", args=[school.pk]),
    )


@login_required
@require_POST
def calendar_drafts_confirm(request: HttpRequest, school_pk: int) -> HttpResponse:
    actor = Actor.of(request)
    school = access_calendar(actor, school_pk, to="act")
    return _remove(
        request,
        school.pk,
        lambda: services.calendar_drafts_confirm(actor=actor, school=school),
        "Drafts confirmed: they now count as school days.",
    )
