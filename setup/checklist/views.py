"""The setup checklist: what a school still lacks, and who is still to set up two-step
verification. Read-only pages; each fix happens on the page the checklist links to."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.actor import Actor
from setup.checklist.permissions import (
    access_checklist,
    can_configure_school,
    checklist_schools_for,
)
from setup.checklist.selectors import checklist_for, people_without_mfa_page

PEOPLE_PAGE_SIZE = 50
# A picker of schools is offered only to someone who reads more than one; beyond this many
# (administrators of a large trust) the first ones are listed and ?school= reaches the rest.
SCHOOLS_LISTED = 50


def _other_schools(user: object) -> list:
    schools = list(checklist_schools_for(user)[:SCHOOLS_LISTED])
    return schools if len(schools) > 1 else []


@login_required
@require_safe
def checklist(request: HttpRequest) -> HttpResponse:
    school = access_checklist(Actor.of(request), request.GET.get("school"))
    if school is None:
        return render(request, "setup/checklist_no_school.html")
    result = checklist_for(school)
    user = request.user
    missing = [
        {"item": item, "fix_url": item.fix.url_for(user, school) if item.fix else ""}
        for item in result.missing
    ]
    return render(
        request,
        "setup/checklist.html",
        {
            "school": school,
            "missing": missing,
            "done": result.done,
            "can_configure": can_configure_school(user, school),
            "other_schools": _other_schools(user),
        },
    )


@login_required
@require_safe
def staff_without_mfa(request: HttpRequest) -> HttpResponse:
    school = access_checklist(Actor.of(request), request.GET.get("school"))
    if school is None:
        return render(request, "setup/checklist_no_school.html")
    page = Paginator(people_without_mfa_page(school), PEOPLE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "setup/staff_without_mfa.html", {"school": school, "page_obj": page})
