"""School setup pages: the school, its sites, pathways and classes. Thin: gate → form →
service → redirect."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.actor import Actor
from core.forms import attempt
from schools.models import School
from schools.permissions import is_administrator
from schools.structure import services
from schools.structure.forms import (
    ArchiveForm,
    ClassForm,
    ClassNewForm,
    PathwayForm,
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


def _edit(
    request: HttpRequest,
    *,
    record: object,
    school: School,
    form: object,
    save: Callable[[], object],
    what: str,
    archive_url: str = "",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid() and attempt(form, save) is not None:
        messages.success(request, f"The {what} was saved.")
        return _overview()
    return _edit_page(
        request,
        record=record,
        school=school,
        form=form,
        what=what,
        archive_url=archive_url,
        archive_form=ArchiveForm(),
    )


def _edit_page(request, *, record, school, form, what, archive_url, archive_form):
    return render(
        request,
        "schools/structure/edit.html",
        {
            "record": record,
            "school": school,
            "form": form,
            "what": what,
            "archive_url": archive_url,
            "archive_form": archive_form,
        },
    )


def _data(request: HttpRequest) -> dict | None:
    return request.POST if request.method == "POST" else None


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
        form=form,
        what="school",
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
        form=form,
        what="site",
        save=lambda: services.site_create(
            actor=Actor.of(request), school=school, name=form.cleaned_data["name"]
        ),
    )


@login_required
@GET_OR_POST
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = access_site(Actor.of(request), pk, to="act")
    form = SiteForm(_data(request), initial={"name": site.name})
    return _edit(
        request,
        record=site,
        school=site.school,
        form=form,
        what="site",
        archive_url=reverse("schools:site_archive", args=[site.pk]),
        save=lambda: services.site_rename(
            actor=Actor.of(request), site=site, name=form.cleaned_data["name"]
        ),
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
        form=form,
        what="pathway",
        save=lambda: services.pathway_create(
            actor=Actor.of(request), school=school, **form.cleaned_data
        ),
    )


@login_required
@GET_OR_POST
def pathway_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = access_pathway(Actor.of(request), pk, to="act")
    form = PathwayForm(
        _data(request), initial={"name": pathway.name, "description": pathway.description}
    )
    return _edit(
        request,
        record=pathway,
        school=pathway.school,
        form=form,
        what="pathway",
        archive_url=reverse("schools:pathway_archive", args=[pathway.pk]),
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
        form=form,
        what="class",
        save=lambda: services.class_create(actor=Actor.of(request), **form.cleaned_data),
    )


@login_required
@GET_OR_POST
def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = access_school_class(Actor.of(request), pk, to="act")
    initial = {
        "name": school_class.name,
        "phase": school_class.phase,
        "pathway": school_class.pathway_id,
    }
    form = ClassForm(
        _data(request), initial=initial, school=school_class.site.school, keep=school_class.pathway
    )
    return _edit(
        request,
        record=school_class,
        school=school_class.site.school,
        form=form,
        what="class",
        archive_url=reverse("schools:class_archive", args=[school_class.pk]),
        save=lambda: services.class_update(
            actor=Actor.of(request), school_class=school_class, **form.cleaned_data
        ),
    )


def _archive(request, *, record, school, edit_form, what, archive_url, archive):
    form = ArchiveForm(request.POST)
    if form.is_valid() and attempt(form, archive) is not None:
        messages.success(request, f"{record} was archived. Its history stays readable.")
        return _overview()
    return _edit_page(
        request,
        record=record,
        school=school,
        form=edit_form,
        what=what,
        archive_url=archive_url,
        archive_form=form,
    )


@login_required
@require_POST
def site_archive(request: HttpRequest, pk: int) -> HttpResponse:
    site = access_site(Actor.of(request), pk, to="act")
    return _archive(
        request,
        record=site,
        school=site.school,
        edit_form=SiteForm(initial={"name": site.name}),
        what="site",
        archive_url=request.path,
        archive=lambda: services.site_archive(actor=Actor.of(request), site=site),
    )


@login_required
@require_POST
def pathway_archive(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = access_pathway(Actor.of(request), pk, to="act")
    return _archive(
        request,
        record=pathway,
        school=pathway.school,
        edit_form=PathwayForm(initial={"name": pathway.name, "description": pathway.description}),
        what="pathway",
        archive_url=request.path,
        archive=lambda: services.pathway_archive(actor=Actor.of(request), pathway=pathway),
    )


@login_required
@require_POST
def class_archive(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = access_school_class(Actor.of(request), pk, to="act")
    school = school_class.site.school
    initial = {
        "name": school_class.name,
        "phase": school_class.phase,
        "pathway": school_class.pathway_id,
    }
    return _archive(
        request,
        record=school_class,
        school=school,
        edit_form=ClassForm(initial=initial, school=school, keep=school_class.pathway),
        what="class",
        archive_url=request.path,
        archive=lambda: services.class_archive(actor=Actor.of(request), school_class=school_class),
    )
