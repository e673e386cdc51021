"""A school's concern categories: the list with their flags, adding one, changing one
(rename, retire or offer again, its flags) and the history of changes.

Thin: gate → selector or form → service → redirect. The headteacher, the DSL and
administrators change them; SLT read them (403 on changing); everyone else gets an audited
404.
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
from schools.models import School
from setup.categories.forms import CategoryAddForm, CategoryChangeForm, dsl_team_only_sentence
from setup.categories.permissions import (
    access_categories_area,
    access_category,
    access_school_categories,
    can_change_categories_of,
    schools_with_readable_categories,
)
from setup.categories.selectors import RECENT_CHANGES, categories_of, category_changes_of
from setup.categories.services import concern_category_add, concern_category_change

HISTORY_PAGE_SIZE = 25


def _list_url(school_pk: int) -> str:
    return reverse("setup:category_list", args=[school_pk])


@login_required
@require_safe
def categories_home(request: HttpRequest) -> HttpResponse:
    """The menu's entry: the one school's categories, or a choice of school."""
    access_categories_area(Actor.of(request))
    schools = list(schools_with_readable_categories(request.user))
    if len(schools) == 1:
        return _render_list(request, schools[0])
    return render(request, "setup/categories/schools.html", {"schools": schools})


@login_required
@require_safe
def category_list(request: HttpRequest, school_pk: int) -> HttpResponse:
    return _render_list(request, access_school_categories(Actor.of(request), school_pk))


def _render_list(request: HttpRequest, school: School) -> HttpResponse:
    return render(
        request,
        "setup/categories/list.html",
        {
            "school": school,
            "categories": list(categories_of(school)),
            "recent": list(category_changes_of(school)[:RECENT_CHANGES]),
            "may_change": can_change_categories_of(request.user, school),
            "dsl_team_only_sentence": dsl_team_only_sentence("", on=True),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def category_add(request: HttpRequest, school_pk: int) -> HttpResponse:
    actor = Actor.of(request)
    school = access_school_categories(actor, school_pk, to="act")
    form = CategoryAddForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        category = attempt(
            form,
            lambda: concern_category_add(
                actor=actor,
                school=school,
                name=data["name"],
                records_body_map=data["records_body_map"],
                dsl_team_only=data["dsl_team_only"],
                reason=data["reason"],
            ),
        )
        if category is not None:
            messages.success(request, f"Added “{category.name}”: offered for new concerns now.")
            return HttpResponseRedirect(_list_url(school.pk))
    return render(
        request,
        "setup/categories/add.html",
        {"school": school, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def category_change(request: HttpRequest, school_pk: int, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    school, category = access_category(actor, school_pk, pk)
    form = CategoryChangeForm(request.POST if request.method == "POST" else None, category=category)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        changes = attempt(
            form,
            lambda: concern_category_change(
                actor=actor,
                category=category,
                name=data["name"],
                active=data["active"],
                records_body_map=data["records_body_map"],
                dsl_team_only=data["dsl_team_only"],
                dsl_team_only_confirmed=data["dsl_team_only_confirmed"],
                reason=data["reason"],
            ),
        )
        if changes is not None:
            said = "; ".join(
                f"{c.get_kind_display().lower()}: {c.old_value} → {c.new_value}" for c in changes
            )
            messages.success(request, f"Saved ({said}).")
            return HttpResponseRedirect(_list_url(school.pk))
    return render(
        request,
        "setup/categories/change.html",
        {"school": school, "category": category, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_safe
def category_history(request: HttpRequest, school_pk: int) -> HttpResponse:
    school = access_school_categories(Actor.of(request), school_pk)
    page = Paginator(category_changes_of(school), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "setup/categories/history.html", {"school": school, "page": page})
