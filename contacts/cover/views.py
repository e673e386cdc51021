"""Staff absences and cover (policy section 3.1) and the who-to-contact directory (section 4).

Thin: form → gate → service → redirect. Every page is audited, and so is every refusal: 404
where the person may not know the thing exists, 403 where they may see it but not act.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contacts.cover.forms import AbsenceForm, CoverForm, DirectoryEntryForm
from contacts.cover.permissions import (
    COVER_ROLES,
    STAFF_ROLES,
    absence_schools,
    access_absence,
    access_absence_case,
    access_absence_list,
    access_absence_report,
    access_cover_list,
    access_directory,
    access_directory_entry,
    can_edit_directory,
    can_lead_cover,
    can_report_absence,
    directory_edit_schools,
    directory_schools,
    leadership_schools,
)
from contacts.cover.selectors import (
    absences_for_list,
    cases_to_cover,
    directory_for,
    own_absences,
    settings_for,
    sites_of,
    staff_choices,
)
from contacts.cover.selectors import (
    cover_list as cover_list_rows,
)
from contacts.cover.services import (
    absence_cases,
    directory_entry_add,
    directory_entry_update,
)
from contacts.cover.services import (
    absence_report as absence_report_service,
)
from contacts.cover.services import (
    cover_assign as cover_assign_service,
)
from contacts.cover.services import (
    cover_assign_all as cover_assign_all_service,
)
from contacts.cover.services import directory_entry_remove as entry_remove_service
from contacts.models import StaffAbsence
from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.calendar import today

User = get_user_model()

# --- Helpers ---------------------------------------------------------------------------------


def _add_service_errors(form: Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in errors:
            form.add_error(target, message)


# --- Reporting an absence --------------------------------------------------------------------


def _absence_staff_choices(user: object) -> tuple[list | None, dict[int, list[int]]]:
    """For leaders: everyone on the staff of the schools they lead (themselves first), and
    the schools each person may be reported absent at. For others: nobody to choose."""
    led = leadership_schools(user)
    if not led:
        return None, {}
    per_school = staff_choices(led, STAFF_ROLES)
    names: dict[int, str] = {}
    schools_of: dict[int, list[int]] = {}
    for school in led:
        for user_id, name in per_school[school.pk]:
            names.setdefault(user_id, name)
            schools_of.setdefault(user_id, []).append(school.pk)
    own_schools = [school.pk for school in absence_schools(user)]
    schools_of[user.pk] = own_schools + [
        pk for pk in schools_of.get(user.pk, []) if pk not in own_schools
    ]
    choices = [(user.pk, f"Yourself ({user.full_name or user.email})")]
    choices += sorted(
        ((pk, name) for pk, name in names.items() if pk != user.pk),
        key=lambda item: item[1].lower(),
    )
    return choices, schools_of


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def absence_report(request: HttpRequest) -> HttpResponse:
    """Report that a member of staff cannot work: one's own, or (SLT, headteacher) a colleague's."""
    user = request.user
    access_absence_report(Actor.of(request))
    choices, schools_of = _absence_staff_choices(user)
    own_school_ids = [school.pk for school in absence_schools(user)]
    form = AbsenceForm(
        request.POST if request.method == "POST" else None,
        staff_choices=choices,
        initial={"staff": user.pk},
    )
    if request.method == "POST" and form.is_valid():
        staff_id = form.cleaned_data.get("staff", user.pk)
        staff = user if staff_id == user.pk else User.objects.get(pk=staff_id)
        school_ids = schools_of.get(staff_id) or own_school_ids
        schools = {
            school.pk: school for school in (*absence_schools(user), *leadership_schools(user))
        }
        try:
            absence = absence_report_service(
                actor=Actor.of(request),
                staff=staff,
                school=schools[school_ids[0]],
                first_day=form.cleaned_data["first_day"],
                last_day=form.cleaned_data["last_day"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            who = "Your absence" if staff.pk == user.pk else f"{staff.full_name}'s absence"
            messages.success(
                request,
                f"{who} from {absence.first_day:%d/%m/%Y} to {absence.last_day:%d/%m/%Y} is "
                "recorded. Their contacts with families are on the cover list for SLT to "
                "reassign.",
            )
            target = "contacts:cover_list" if can_lead_cover(user) else "contacts:absence_report"
            return HttpResponseRedirect(reverse(target))
    schools = absence_schools(user) or leadership_schools(user)
    settings = settings_for(schools)
    return render(
        request,
        "contacts/absence_report.html",
        {
            "form": form,
            "availability": [(school, settings[school.pk]) for school in schools],
            "own_absences": own_absences(user),
            "can_lead_cover": can_lead_cover(user),
        },
    )


@login_required
@require_safe
def absence_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    access_absence_list(Actor.of(request))
    absences = absences_for_list(user)
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type="contacts.staffabsence",
        detail=f"{len(absences)} absences",
    )
    return render(request, "contacts/absence_list.html", {"absences": absences, "day": today()})


# --- Cover -----------------------------------------------------------------------------------


def _cover_page(request: HttpRequest, bound: dict[tuple, Form] | None = None) -> HttpResponse:
    bound = bound or {}
    entries = cover_list_rows(request.user, today())
    for entry in entries:
        pk = entry.absence.pk
        entry.all_form = bound.get(("all", pk)) or CoverForm(
            choices=entry.choices, auto_id=f"all-{pk}-%s"
        )
        for row in entry.rows:
            row.form = bound.get(("case", pk, row.case.pk)) or CoverForm(
                choices=entry.choices,
                initial={"covered_by": row.cover.covered_by_id if row.cover else None},
                auto_id=f"cover-{pk}-{row.case.pk}-%s",
            )
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type="contacts.coverassignment",
        detail=f"cover list: {len(entries)} absences, "
        f"{sum(len(entry.rows) for entry in entries)} cases",
    )
    return render(request, "contacts/cover_list.html", {"entries": entries, "day": today()})


@login_required
@require_safe
def cover_list(request: HttpRequest) -> HttpResponse:
    access_cover_list(Actor.of(request))
    return _cover_page(request)


def _cover_choices(absence: StaffAbsence) -> list[tuple[int, str]]:
    return [
        choice
        for choice in staff_choices([absence.school], COVER_ROLES)[absence.school_id]
        if choice[0] != absence.staff_id
    ]


@login_required
@require_POST
def cover_assign(request: HttpRequest, absence_pk: int, case_pk: int) -> HttpResponse:
    """Give one of the absent person's cases to another member of staff."""
    absence, case = access_absence_case(Actor.of(request), absence_pk, case_pk)
    form = CoverForm(
        request.POST, choices=_cover_choices(absence), auto_id=f"cover-{absence.pk}-{case.pk}-%s"
    )
    if form.is_valid():
        covered_by = User.objects.get(pk=form.cleaned_data["covered_by"])
        try:
            cover_assign_service(
                actor=Actor.of(request), absence=absence, case=case, covered_by=covered_by
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{covered_by.full_name} now makes the contacts for "
                f"{case.pupil.display_name} while {absence.staff.full_name} is away.",
            )
            return HttpResponseRedirect(f"{reverse('contacts:cover_list')}#absence-{absence.pk}")
    return _cover_page(request, bound={("case", absence.pk, case.pk): form})


@login_required
@require_POST
def cover_assign_all(request: HttpRequest, absence_pk: int) -> HttpResponse:
    """Give every case of the absence that this person may work on to one member of staff."""
    user = request.user
    absence = access_absence(Actor.of(request), absence_pk, to="act")
    form = CoverForm(request.POST, choices=_cover_choices(absence), auto_id=f"all-{absence.pk}-%s")
    if form.is_valid():
        covered_by = User.objects.get(pk=form.cleaned_data["covered_by"])
        cases = list(
            absence_cases(absence)
            .filter(pk__in=cases_to_cover(user).values("pk"))
            .select_related("pupil")
        )
        try:
            count = cover_assign_all_service(
                actor=Actor.of(request), absence=absence, cases=cases, covered_by=covered_by
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if count:
                messages.success(
                    request,
                    f"{covered_by.full_name} now makes the contacts for {count} "
                    f"case{'s' if count != 1 else ''} while {absence.staff.full_name} is away.",
                )
            else:
                messages.info(request, "There were no cases of yours to cover for this absence.")
            return HttpResponseRedirect(f"{reverse('contacts:cover_list')}#absence-{absence.pk}")
    return _cover_page(request, bound={("all", absence.pk): form})


# --- The directory ---------------------------------------------------------------------------


@login_required
@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """Who to contact about what (policy section 4), for every member of staff."""
    user = request.user
    access_directory(Actor.of(request))
    schools = directory_schools(user)
    directories = directory_for(schools)
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type="contacts.directoryentry",
        detail=f"directory: {sum(len(d.entries) for d in directories)} entries",
    )
    return render(
        request,
        "contacts/directory.html",
        {
            "directories": directories,
            "can_edit": can_edit_directory(user),
            "can_report_absence": can_report_absence(user),
        },
    )


def _entry_form(request: HttpRequest, data: object = None, **kwargs: object) -> DirectoryEntryForm:
    schools = directory_edit_schools(request.user)
    return DirectoryEntryForm(data, schools=schools, sites=sites_of(schools), **kwargs)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def directory_edit(request: HttpRequest) -> HttpResponse:
    """Keep the directory: every entry with its edit and remove buttons, and a form to add."""
    access_directory(Actor.of(request), to="act", what="directory edit")
    user = request.user
    form = _entry_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = directory_entry_add(
                actor=Actor.of(request), school=form.school, site=form.site, **form.values()
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"{entry.name} is added to the directory.")
            return HttpResponseRedirect(f"{reverse('contacts:directory_edit')}#entry-{entry.pk}")
    return render(
        request,
        "contacts/directory_edit.html",
        {"form": form, "directories": directory_for(directory_edit_schools(user))},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def directory_entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_directory_entry(Actor.of(request), pk, to="act", what="directory entry edit")
    if request.method == "POST":
        form = _entry_form(request, request.POST)
    else:
        form = _entry_form(request, initial=DirectoryEntryForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        if form.school.pk != entry.school_id:
            form.add_error(
                "where", "An entry stays with its school: choose it or one of its sites."
            )
        else:
            try:
                directory_entry_update(
                    actor=Actor.of(request), entry=entry, site=form.site, **form.values()
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, f"{form.cleaned_data['name']} is updated.")
                return HttpResponseRedirect(
                    f"{reverse('contacts:directory_edit')}#entry-{entry.pk}"
                )
    return render(request, "contacts/directory_entry_edit.html", {"form": form, "entry": entry})


@login_required
@require_POST
def directory_entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_directory_entry(Actor.of(request), pk, to="act", what="directory entry remove")
    name = entry.name
    entry_remove_service(actor=Actor.of(request), entry=entry)
    messages.success(request, f"{name} is removed from the directory.")
    return HttpResponseRedirect(reverse("contacts:directory_edit"))
