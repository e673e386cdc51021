"""The settings area: a school's settings, changing one, and the history of changes.

Thin: gate → selector or form → service → redirect. The headteacher and administrators
change settings; SLT read them (403 on changing); everyone else gets an audited 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from core.actor import Actor
from core.forms import attempt
from schools.models import School
from setup.settings_area.forms import SettingChangeForm
from setup.settings_area.permissions import (
    access_school_settings,
    access_settings_area,
    can_change_settings_of,
    schools_with_readable_settings,
)
from setup.settings_area.registry import SETTINGS, Setting
from setup.settings_area.selectors import changes_of, current_values, settings_page
from setup.settings_area.services import school_setting_change

HISTORY_PAGE_SIZE = 25


def _render_settings(request: HttpRequest, school: School) -> HttpResponse:
    return render(
        request,
        "setup/settings_area/settings.html",
        {
            "school": school,
            "groups": settings_page(school),
            "may_change": can_change_settings_of(request.user, school),
        },
    )


@login_required
@require_safe
def settings_home(request: HttpRequest) -> HttpResponse:
    """The menu's entry: the one school's settings, or a choice of school."""
    access_settings_area(Actor.of(request))
    schools = list(schools_with_readable_settings(request.user))
    if len(schools) == 1:
        return _render_settings(request, schools[0])
    return render(request, "setup/settings_area/schools.html", {"schools": schools})


@login_required
@require_safe
def school_settings(request: HttpRequest, school_pk: int) -> HttpResponse:
    return _render_settings(request, access_school_settings(Actor.of(request), school_pk))


def _setting(key: str) -> Setting:
    setting = SETTINGS.get(key)
    if setting is None:
        # Not about any record or person: the list of settings is the same for everyone.
        raise Http404
    return setting


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def setting_change(request: HttpRequest, school_pk: int, key: str) -> HttpResponse:
    actor = Actor.of(request)
    school = access_school_settings(actor, school_pk, to="act")
    setting = _setting(key)
    current = current_values(school)[key]
    form = SettingChangeForm(
        request.POST if request.method == "POST" else None, setting=setting, current=current
    )
    if form.is_bound and form.is_valid():
        change = attempt(
            form,
            lambda: school_setting_change(
                actor=actor,
                school=school,
                key=key,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if change is not None:
            messages.success(
                request,
                f"{setting.label}: now {setting.display(change.new_value)} "
                f"(was {setting.display(change.old_value)}).",
            )
            return HttpResponseRedirect(reverse("setup:settings", args=[school.pk]))
    return render(
        request,
        "setup/settings_area/change.html",
        {"school": school, "setting": setting, "current": setting.display(current), "form": form},
        status=400 if form.is_bound else 200,
    )


def _render_history(request: HttpRequest, school: School, setting: Setting | None) -> HttpResponse:
    page = Paginator(
        changes_of(school, setting.key if setting else None), HISTORY_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = []
    for change in page.object_list:
        # A setting since retired from the registry still shows, as it was kept.
        described = SETTINGS.get(change.key)
        show = described.display if described else str
        rows.append((described, show(change.old_value), show(change.new_value), change))
    return render(
        request,
        "setup/settings_area/history.html",
        {"school": school, "setting": setting, "page": page, "rows": rows},
    )


@login_required
@require_safe
def settings_history(request: HttpRequest, school_pk: int) -> HttpResponse:
    return _render_history(request, access_school_settings(Actor.of(request), school_pk), None)


@login_required
@require_safe
def setting_history(request: HttpRequest, school_pk: int, key: str) -> HttpResponse:
    school = access_school_settings(Actor.of(request), school_pk)
    return _render_history(request, school, _setting(key))
