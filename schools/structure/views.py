"""School setup pages: the school, its sites, pathways and classes. Thin: gate → form →
service → redirect."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.actor import Actor
from core.forms import attempt
from schools.models import Pathway, School, SchoolClass, Site
from schools.permissions import is_administrator
from schools.structure import services
from schools.structure.forms import (
    ArchiveForm,
    ClassForm,
    ClassNewForm,
    PathwayForm,
    RestoreForm,
    SchoolForm,
    SchoolNewForm,
    SiteForm,
)
from schools.structure.permissions import (
    access_pathway,
    access_school,
    access_school_class,
    access_school_new,
    access_site,
    access_structure,
    can_configure_structure_of,
    schools_readable_by,
)
from schools.structure.selectors import structure_of

SCHOOLS_PER_PAGE = 5
GET_OR_POST = require_http_methods(["GET", "HEAD", "POST"])


def _overview() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("schools:structure"))


@login_required
@require_http_methods(["GET", "HEAD"])
def structure(request: HttpRequest) -> HttpResponse:
    access_structure(Actor.of(request))
    page = Paginator(structure_of(schools_readable_by(request.user)), SCHOOLS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    configures = {s.pk for s in page.object_list if can_configure_structure_of(request.user, s.pk)}
    return render(
        request,
        "schools/structure/overview.html",
        {"page": page, "configures": configures, "administrator": is_administrator(request.user)},
    )


@login_required
@GET_OR_POST
def school_new(request: HttpRequest) -> HttpResponse:
    access_school_new(Actor.of(request))
    form = SchoolNewForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        created = attempt(
            form,
            lambda: services.school_create(actor=Actor.of(request), **form.cleaned_data),
        )
        if created is not None:
            # Shown once, on this page only: never in an address or a message stored for later.
            return render(request, "schools/structure/school_created.html", {"new": created})
    return render(request, "schools/structure/school_new.html", {"form": form})


def _data(request: HttpRequest) -> dict | None:
    return request.POST if request.method == "POST" else None


def _page(
    request: HttpRequest,
    *,
    record: object,
    school: School,
    what: str,
    form: Form,
    archive_form: Form | None = None,
    restore_form: Form | None = None,
) -> HttpResponse:
    """The edit page of the school, a site, a pathway or a class (``what``), with archiving
    or restoring for the last three."""
    urls = {}
    if record is not None and what != "school":
        urls = {
            "archive_url": reverse(f"schools:{what}_archive", args=[record.pk]),
            "restore_url": reverse(f"schools:{what}_restore", args=[record.pk]),
        }
    return render(
        request,
        "schools/structure/edit.html",
        {
            "record": record,
            "school": school,
            "what": what,
            "form": form,
            "archive_form": archive_form or ArchiveForm(),
            "restore_form": restore_form or RestoreForm(),
            **urls,
        },
    )


def _edit(
    request: HttpRequest,
    *,
    record: object,
    school: School,
    what: str,
    form: Form,
    save: Callable[[], object],
) -> HttpResponse:
    if request.method == "POST" and form.is_valid() and attempt(form, save) is not None:
        messages.success(request, f"The {what} was saved.")
        return _overview()
    return _page(request, record=record, school=school, what=what, form=form)


def _site_form(site: Site, data: dict | None = None) -> SiteForm:
    return SiteForm(data, initial={"name": site.name})


def _pathway_form(pathway: Pathway, data: dict | None = None) -> PathwayForm:
    return PathwayForm(data, initial={"name": pathway.name, "description": pathway.description})


def _class_form(school_class: SchoolClass, data: dict | None = None) -> ClassForm:
    initial = {
        "name": school_class.name,
        "phase": school_class.phase,
        "pathway": school_class.pathway_id,
    }
    return ClassForm(
        data, initial=initial, school=school_class.site.school, keep=school_class.pathway
    )


@login_required
@GET_OR_POST
def school_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school = access_school(Actor.of(request), pk, to="act")
    initial = {
        "name": school.name,
        "local_authority": school.local_authority,
        "safeguarding_partnership_name": school.safeguarding_partnership_name,
        "safeguarding_partnership_url": school.safeguarding_partnership_url,
    }
    form = SchoolForm(_data(request), initial=initial)
    return _edit(
        request,
        record=school,
        school=school,
        what="school",
        form=form,
        save=lambda: services.school_update(
            actor=Actor.of(request), school=school, **form.cleaned_data
        ),
    )


@login_required
@GET_OR_POST
def site_new(request: HttpRequest, pk: int) -> HttpResponse:
    school = access_school(Actor.of(request), pk, to="act")
    form = SiteForm(_data(request))
    return _edit(
        request,
        record=None,
        school=school,
        what="site",
        form=form,
        save=lambda: services.site_create(
            actor=Actor.of(request), school=school, **form.cleaned_data
        ),
    )


@login_required
@GET_OR_POST
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = access_site(Actor.of(request), pk, to="act")
    form = _site_form(site, _data(request))
    return _edit(
        request,
        record=site,
        school=site.school,
        what="site",
        form=form,
        save=lambda: services.site_rename(actor=Actor.of(request), site=site, **form.cleaned_data),
    )


@login_required
@GET_OR_POST
def pathway_new(request: HttpRequest, pk: int) -> HttpResponse:
    school = access_school(Actor.of(request), pk, to="act")
    form = PathwayForm(_data(request))
    return _edit(
        request,
        record=None,
        school=school,
        what="pathway",
        form=form,
        save=lambda: services.pathway_create(
            actor=Actor.of(request), school=school, **form.cleaned_data
        ),
    )


@login_required
@GET_OR_POST
def pathway_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = access_pathway(Actor.of(request), pk, to="act")
    form = _pathway_form(pathway, _data(request))
    return _edit(
        request,
        record=pathway,
        school=pathway.school,
        what="pathway",
        form=form,
        save=lambda: services.pathway_update(
            actor=Actor.of(request), pathway=pathway, **form.cleaned_data
        ),
    )


@login_required
@GET_OR_POST
def class_new(request: HttpRequest, pk: int) -> HttpResponse:
    school = access_school(Actor.of(request), pk, to="act")
    form = ClassNewForm(_data(request), school=school)
    return _edit(
        request,
        record=None,
        school=school,
        what="class",
        form=form,
        save=lambda: services.class_create(actor=Actor.of(request), **form.cleaned_data),
    )


@login_required
@GET_OR_POST
def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = access_school_class(Actor.of(request), pk, to="act")
    form = _class_form(school_class, _data(request))
    return _edit(
        request,
        record=school_class,
        school=school_class.site.school,
        what="class",
        form=form,
        save=lambda: services.class_update(
            actor=Actor.of(request), school_class=school_class, **form.cleaned_data
        ),
    )


# --- Archiving and restoring: a confirmation box, or a button; a refusal shows on the edit page


def _archive_or_restore(
    request: HttpRequest,
    *,
    record: Site | Pathway | SchoolClass,
    school: School,
    what: str,
    edit_form: Form,
    change: Callable[[], object],
    restoring: bool = False,
) -> HttpResponse:
    form = (RestoreForm if restoring else ArchiveForm)(request.POST)
    if form.is_valid() and attempt(form, change) is not None:
        done = "is in use again" if restoring else "was archived. Its history stays readable"
        messages.success(request, f"{record} {done}.")
        return _overview()
    shown = {"restore_form" if restoring else "archive_form": form}
    return _page(request, record=record, school=school, what=what, form=edit_form, **shown)


def _site_change(request: HttpRequest, pk: int, *, restoring: bool) -> HttpResponse:
    site = access_site(Actor.of(request), pk, to="act")
    service = services.site_restore if restoring else services.site_archive
    return _archive_or_restore(
        request,
        record=site,
        school=site.school,
        what="site",
        edit_form=_site_form(site),
        change=lambda: service(actor=Actor.of(request), site=site),
        restoring=restoring,
    )


def _pathway_change(request: HttpRequest, pk: int, *, restoring: bool) -> HttpResponse:
    pathway = access_pathway(Actor.of(request), pk, to="act")
    service = services.pathway_restore if restoring else services.pathway_archive
    return _archive_or_restore(
        request,
        record=pathway,
        school=pathway.school,
        what="pathway",
        edit_form=_pathway_form(pathway),
        change=lambda: service(actor=Actor.of(request), pathway=pathway),
        restoring=restoring,
    )


def _class_change(request: HttpRequest, pk: int, *, restoring: bool) -> HttpResponse:
    school_class = access_school_class(Actor.of(request), pk, to="act")
    service = services.class_restore if restoring else services.class_archive
    return _archive_or_restore(
        request,
        record=school_class,
        school=school_class.site.school,
        what="class",
        edit_form=_class_form(school_class),
        change=lambda: service(actor=Actor.of(request), school_class=school_class),
        restoring=restoring,
    )


@login_required
@require_POST
def site_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _site_change(request, pk, restoring=False)


@login_required
@require_POST
def site_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _site_change(request, pk, restoring=True)


@login_required
@require_POST
def pathway_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _pathway_change(request, pk, restoring=False)


@login_required
@require_POST
def pathway_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _pathway_change(request, pk, restoring=True)


@login_required
@require_POST
def class_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _class_change(request, pk, restoring=False)


@login_required
@require_POST
def class_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _class_change(request, pk, restoring=True)
