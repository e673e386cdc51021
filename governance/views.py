"""Governance pages: SLT monitoring, policy review and the staff wellbeing pulse. Thin:
form → gate → service → redirect. The gates are in governance.permissions.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from governance import permissions, selectors, services
from governance.forms import (
    CorrectionForm,
    FollowUpForm,
    MonitoringFilterForm,
    MonitoringForm,
    PolicyDocumentForm,
    PolicyVersionForm,
    PulseForm,
    scope_choices,
)
from governance.models import (
    MonitoringActivity,
    PolicyDocument,
    PolicyStatus,
    PolicyVersion,
    week_start_of,
)
from governance.pulse_figures import SUMMARY_WEEKS, pulse_figures, summary_start
from schools.calendar import today
from schools.models import Membership, School, SchoolClass, Site
from schools.permissions import school_ids_with_roles

ACTIVITIES_PER_PAGE = 25


# --- Monitoring --------------------------------------------------------------------------------


def _listed_scopes(user: object) -> list[tuple[str, str]]:
    """Scopes offered as list filters: what the person oversees, and governors' schools."""
    schools, sites, classes = permissions.recordable_scopes(user)
    governed = School.objects.filter(pk__in=school_ids_with_roles(user, permissions.GOVERNOR_ROLES))
    all_schools = {s.pk: s for s in [*schools, *governed]}
    governed_ids = set(all_schools) - {s.pk for s in schools}
    sites = [*sites, *Site.objects.filter(school_id__in=governed_ids)]
    classes = [
        *classes,
        *SchoolClass.objects.filter(site__school_id__in=governed_ids).select_related("site"),
    ]
    return scope_choices(all_schools.values(), sites, classes)


def _apply_scope(activities, scope: str):
    kind, _, raw_id = scope.partition(":")
    if not raw_id.isdigit():
        return activities
    pk = int(raw_id)
    if kind == "school":
        return activities.filter(school_id=pk, site__isnull=True, school_class__isnull=True)
    if kind == "site":
        return activities.filter(site_id=pk) | activities.filter(school_class__site_id=pk)
    if kind == "class":
        return activities.filter(school_class_id=pk)
    return activities


@login_required
@require_safe
def monitoring_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.access_monitoring_list(Actor.of(request))
    scopes = _listed_scopes(user)
    filters = MonitoringFilterForm(request.GET or None, scopes=scopes)
    activities = permissions.monitoring_listed_for(user)
    if filters.is_valid():
        if filters.cleaned_data["scope"]:
            activities = _apply_scope(activities, filters.cleaned_data["scope"])
        if filters.cleaned_data["kind"]:
            activities = activities.filter(kind=filters.cleaned_data["kind"])
    activities = selectors.monitoring_list(activities).order_by("-held_on", "-id")
    page = Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    on_page = [activity.pk for activity in page.object_list]
    readable = set(
        permissions.monitoring_visible_to(user).filter(pk__in=on_page).values_list("pk", flat=True)
    )
    return render(
        request,
        "governance/monitoring_list.html",
        {
            "page": page,
            "readable": readable,
            "filters": filters,
            "can_record": permissions.can_record_monitoring(user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def monitoring_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.access_monitoring_new(Actor.of(request))
    schools, sites, classes = permissions.recordable_scopes(user)
    schools, sites, classes = list(schools), list(sites), list(classes)
    form = MonitoringForm(request.POST or None, scopes=scope_choices(schools, sites, classes))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, _, raw_id = data["scope"].partition(":")
        pk = int(raw_id)
        site = next((s for s in sites if s.pk == pk), None) if kind == "site" else None
        school_class = next((c for c in classes if c.pk == pk), None) if kind == "class" else None
        if kind == "school":
            school = next(s for s in schools if s.pk == pk)
        elif site is not None:
            school = site.school
        else:
            school = school_class.site.school

        def save():
            return services.monitoring_record(
                actor=Actor.of(request),
                school=school,
                site=site,
                school_class=school_class,
                kind=data["kind"],
                held_on=data["held_on"],
                participants=data["participants"],
                focus=data["focus"],
                findings=data["findings"],
            )

        if created := attempt(form, save):
            messages.success(request, "Monitoring recorded. Add any follow-ups below.")
            return HttpResponseRedirect(created.get_absolute_url())
    return render(request, "governance/monitoring_new.html", {"form": form})


def _staff_of(school_id: int):
    """Who may own a follow-up: anyone with a staff (non-governor) role at the school."""
    staff_roles = Membership.objects.filter(school_id=school_id).exclude(
        role__in=permissions.GOVERNOR_ROLES
    )
    return (
        User.objects.filter(is_active=True, memberships__in=staff_roles)
        .distinct()
        .order_by("full_name", "email")
    )


def _render_detail(
    request: HttpRequest,
    activity: MonitoringActivity,
    *,
    correction: CorrectionForm | None = None,
    follow_up: FollowUpForm | None = None,
    status: int = 200,
) -> HttpResponse:
    activity = selectors.monitoring_detail(activity.pk)
    return render(
        request,
        "governance/monitoring_detail.html",
        {
            "activity": activity,
            "correction_form": correction or CorrectionForm(),
            "follow_up_form": follow_up or FollowUpForm(staff=_staff_of(activity.school_id)),
            "today": today(),
        },
        status=status,
    )


@login_required
@require_safe
def monitoring_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = permissions.access_monitoring(Actor.of(request), pk)
    return _render_detail(request, activity)


@login_required
@require_POST
def monitoring_correct(request: HttpRequest, pk: int) -> HttpResponse:
    activity = permissions.access_monitoring(Actor.of(request), pk, to="act")
    form = CorrectionForm(request.POST)
    if form.is_valid() and attempt(
        form,
        lambda: services.monitoring_correct(
            actor=Actor.of(request), activity=activity, text=form.cleaned_data["text"]
        ),
    ):
        messages.success(request, "Correction added.")
        return HttpResponseRedirect(activity.get_absolute_url())
    return _render_detail(request, activity, correction=form, status=400)


@login_required
@require_POST
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = permissions.access_monitoring(Actor.of(request), pk, to="act")
    form = FollowUpForm(request.POST, staff=_staff_of(activity.school_id))
    if form.is_valid() and attempt(
        form,
        lambda: services.follow_up_add(
            actor=Actor.of(request), activity=activity, **form.cleaned_data
        ),
    ):
        messages.success(request, "Follow-up added.")
        return HttpResponseRedirect(activity.get_absolute_url())
    return _render_detail(request, activity, follow_up=form, status=400)


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = permissions.access_follow_up(Actor.of(request), pk)
    try:
        services.follow_up_mark_done(actor=Actor.of(request), follow_up=follow_up)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Follow-up marked done.")
    return HttpResponseRedirect(follow_up.activity.get_absolute_url())


# --- Policy review ---------------------------------------------------------------------------


@login_required
@require_safe
def policy_list(request: HttpRequest) -> HttpResponse:
    permissions.access_policy_list(Actor.of(request))
    documents = list(
        permissions.policy_documents_visible_to(request.user)
        .select_related("school")
        .order_by("school__name", "title")
    )
    in_force = {
        version.document_id: version
        for version in selectors.current_versions().filter(document__in=documents)
    }
    rows = [(document, in_force.get(document.pk)) for document in documents]
    return render(
        request,
        "governance/policy_list.html",
        {
            "rows": rows,
            "can_add": permissions.can_add_policy(request.user),
            "due": selectors.policy_reviews_due_for(request.user),
            "today": today(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def policy_new(request: HttpRequest) -> HttpResponse:
    school = permissions.access_policy_new(Actor.of(request))
    form = PolicyDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created: list[PolicyDocument] = []
        if created := attempt(
            form,
            lambda: services.policy_document_create(
                actor=Actor.of(request),
                school=school,
                title=form.cleaned_data["title"],
            ),
        ):
            messages.success(request, "Policy added. Now add its first version.")
            return HttpResponseRedirect(reverse("governance:version_new", args=[created.pk]))
    return render(request, "governance/policy_new.html", {"form": form, "school": school})


@login_required
@require_safe
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = permissions.access_policy(Actor.of(request), pk)
    versions = list(
        document.versions.select_related("drafted_by", "reviewed_by", "approved_by").order_by(
            "-drafted_at", "-id"
        )
    )
    current = selectors.current_version(document)
    due = [d for d in selectors.policy_reviews_due_for(request.user) if d.document_id == pk]
    return render(
        request,
        "governance/policy_detail.html",
        {
            "document": document,
            "versions": versions,
            "current": current,
            "due": due,
            "can_draft": permissions.can_draft_policy(request.user, document),
            "is_head": permissions.is_headteacher_of(request.user, document.school_id),
            "is_chair": permissions.is_chair_of(request.user, document.school_id),
            "statuses": PolicyStatus,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    document = permissions.access_policy(Actor.of(request), pk, to="act")
    form = PolicyVersionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.policy_version_draft(
                actor=Actor.of(request), document=document, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "Draft saved. Mark it reviewed when you have reviewed it.")
        return HttpResponseRedirect(document.get_absolute_url())
    return render(request, "governance/version_new.html", {"form": form, "document": document})


def _step(request: HttpRequest, version: PolicyVersion, action, done: str) -> HttpResponse:
    try:
        action(actor=Actor.of(request), version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(version.document.get_absolute_url())


@login_required
@require_POST
def version_review(request: HttpRequest, pk: int) -> HttpResponse:
    version = permissions.access_policy_version(Actor.of(request), pk, to="review")
    return _step(
        request,
        version,
        services.policy_version_review,
        "Marked reviewed. The chair of governors can now approve it.",
    )


@login_required
@require_POST
def version_approve(request: HttpRequest, pk: int) -> HttpResponse:
    version = permissions.access_policy_version(Actor.of(request), pk, to="approve")
    return _step(request, version, services.policy_version_approve, "Approved.")


# --- Wellbeing pulse -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pulse(request: HttpRequest) -> HttpResponse:
    user = request.user
    school_ids = permissions.access_pulse(Actor.of(request))
    schools = list(School.objects.filter(pk__in=school_ids).order_by("name"))
    answered = {s.pk for s in schools if services.has_answered_pulse(user=user, school_id=s.pk)}
    open_schools = [s for s in schools if s.pk not in answered]
    form = PulseForm(request.POST or None, schools=open_schools) if open_schools else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        school = next(s for s in open_schools if s.pk == data["school"])
        if attempt(
            form,
            lambda: services.pulse_answer(
                actor=Actor.of(request),
                school=school,
                coping=data["coping"],
                workload=data["workload"],
            ),
        ):
            return HttpResponseRedirect(reverse("governance:pulse"))
    return render(
        request,
        "governance/pulse.html",
        {
            "form": form,
            "answered": [s for s in schools if s.pk in answered],
            "week_start": week_start_of(today()),
        },
    )


@login_required
@require_safe
def pulse_summary(request: HttpRequest) -> HttpResponse:
    """Counts only, protected as the governors' summary is (a small count, and any count that
    could be worked out from those shown, is not shown); a week or term with fewer answers
    than the threshold in all shows nothing at all."""
    school_ids = permissions.access_pulse_summary(Actor.of(request))
    on = today()
    start = summary_start(on)
    sections = []
    for school in School.objects.filter(pk__in=school_ids).order_by("name"):
        weeks, terms = pulse_figures(school_id=school.pk, start=start, on=on)
        sections.append({"school": school, "weeks": weeks, "terms": terms})
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject_type="governance.pulseresponse",
        detail="wellbeing pulse summary",
    )
    return render(
        request,
        "governance/pulse_summary.html",
        {"sections": sections, "since": start, "weeks": SUMMARY_WEEKS},
    )
