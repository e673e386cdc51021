"""Virtual session pages (policy Appendix 1). Thin: form → gate → service → redirect.

The teachers and class staff of the invited pupils' classes plan and run a session; SLT, the
headteacher and the DSL team of the pupils' site read it (403 when they try to act); everyone
else gets the same audited 404 as for a session that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from safeguarding import permissions
from safeguarding.models import SessionKind, VirtualSession
from safeguarding.sessions import services
from safeguarding.sessions.forms import AgreementForm, ChecklistForm, SessionPlanForm, StopForm
from schools.models import Pupil
from schools.permissions import CLASS_ROLES, memberships_of, pupil_access

SESSION_SUBJECT = VirtualSession._meta.label_lower
PUPIL_SUBJECT = Pupil._meta.label_lower


def _denied(request: HttpRequest, *, subject_type: str, subject_id, detail: str) -> Http404:
    access_record(
        action=AccessAction.DENIED,
        actor=Actor.of(request),
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
    )
    return Http404()


def _session_or_404(request: HttpRequest, pk: int) -> VirtualSession:
    session = (
        VirtualSession.objects.select_related("school", "planned_by", "stopped_by")
        .prefetch_related("pupils__school_class__site", "staff", "checklist", "attendance__pupil")
        .filter(pk=pk)
        .first()
    )
    if session is None or not permissions.can_read_session(request.user, session):
        raise _denied(
            request, subject_type=SESSION_SUBJECT, subject_id=pk, detail="session not visible"
        )
    return session


def _runnable_or_403(request: HttpRequest, pk: int) -> VirtualSession:
    session = _session_or_404(request, pk)
    if not permissions.can_run_session(request.user, session):
        access_record(
            action=AccessAction.DENIED,
            actor=Actor.of(request),
            subject=session,
            detail="may read, may not run",
        )
        raise PermissionDenied
    return session


def _planner_school(user: object):
    for membership in memberships_of(user):
        if membership.role in CLASS_ROLES and membership.school_class_id:
            return membership.school
    return None


# --- Lists -----------------------------------------------------------------------------------


@login_required
@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_plan_sessions(request.user):
        raise _denied(request, subject_type=SESSION_SUBJECT, subject_id="", detail="list")
    sessions = list(
        permissions.sessions_visible_to(request.user, roles=CLASS_ROLES)
        .prefetch_related("pupils")
        .order_by("starts_at")
    )
    now = timezone.now()
    access_record(action=AccessAction.LIST, actor=Actor.of(request), subject_type=SESSION_SUBJECT)
    return render(
        request,
        "safeguarding/session_list.html",
        {
            "upcoming": [s for s in sessions if s.ends_at >= now],
            "past": [s for s in reversed(sessions) if s.ends_at < now],
        },
    )


@login_required
@require_safe
def session_gaps(request: HttpRequest) -> HttpResponse:
    if not permissions.can_oversee_sessions(request.user):
        raise _denied(request, subject_type=SESSION_SUBJECT, subject_id="", detail="gaps")
    sessions = (
        permissions.sessions_with_gaps(request.user)
        .prefetch_related("pupils", "checklist")
        .order_by("-starts_at")
    )
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type=SESSION_SUBJECT,
        detail="gaps",
    )
    return render(request, "safeguarding/session_gaps.html", {"sessions": sessions})


# --- Planning --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_plan(request: HttpRequest) -> HttpResponse:
    school = _planner_school(request.user)
    if school is None:
        raise _denied(request, subject_type=SESSION_SUBJECT, subject_id="", detail="plan")
    pupils = permissions.invitable_pupils(request.user)
    staff = User.objects.filter(is_active=True, memberships__school=school).distinct()
    form = SessionPlanForm(request.POST or None, pupils=pupils, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = None
        arguments = {
            "actor": Actor.of(request),
            "school": school,
            "title": data["title"],
            "date": data["date"],
            "start_time": data["start_time"],
            "end_time": data["end_time"],
            "pupils": list(data["pupils"]),
            "staff": list(data["staff"]),
        }
        prerecorded = data["pre_recorded"] and len(arguments["staff"]) < services.MIN_STAFF

        def save():
            nonlocal session
            if prerecorded:
                session = services.session_record_prerecorded(**arguments)
            else:
                session = services.session_plan(**arguments, meeting_link=data["meeting_link"])

        if attempt(form, save):
            messages.success(
                request,
                "Pre-recorded lesson recorded."
                if prerecorded
                else "Session planned; invitations go to pupils' school email addresses.",
            )
            return HttpResponseRedirect(session.get_absolute_url())
    return render(
        request,
        "safeguarding/session_plan.html",
        {"form": form, "offer_recording": "staff" in form.errors},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_agreement(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    pupil = Pupil.objects.select_related("school_class__site").filter(pk=pupil_pk).first()
    roles = pupil_access(request.user, pupil).roles if pupil else frozenset()
    if not roles & permissions.SESSION_ROLES:
        raise _denied(
            request, subject_type=PUPIL_SUBJECT, subject_id=pupil_pk, detail="session agreement"
        )
    if not roles & CLASS_ROLES:
        access_record(
            action=AccessAction.DENIED,
            actor=Actor.of(request),
            subject=pupil,
            pupil_id=pupil.pk,
            detail="session agreement: may read, may not record",
        )
        raise PermissionDenied
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def save():
            services.session_agreement_record(
                actor=Actor.of(request), pupil=pupil, **form.cleaned_data
            )

        if attempt(form, save):
            messages.success(request, "The family's agreement is recorded.")
            return HttpResponseRedirect(reverse("safeguarding:session_list"))
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=pupil,
        pupil_id=pupil.pk,
        detail="session agreement form",
    )
    return render(
        request,
        "safeguarding/session_agreement.html",
        {"form": form, "pupil": pupil, "agreements": pupil.session_agreements.all()},
    )


# --- One session -----------------------------------------------------------------------------


def _render_detail(request: HttpRequest, session: VirtualSession, **bound) -> HttpResponse:
    pupils = session.pupils.all()
    can_run = permissions.can_run_session(request.user, session)
    context = {
        "session": session,
        "can_run": can_run,
        "is_staff_present": any(user.pk == request.user.pk for user in session.staff.all()),
        "checklist": list(session.checklist.all()),
        "attendance": list(session.attendance.all()),
        "concerns_count": session.concerns.count(),
    }
    if can_run:
        context["checklist_form"] = bound.get("checklist_form") or ChecklistForm(
            pupils=pupils, prefix="checklist"
        )
        context["stop_form"] = bound.get("stop_form") or StopForm(pupils=pupils, prefix="stop")
    # One audit row per pupil, so each pupil's access log shows the view, in one INSERT.
    access_record_many(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subjects=[(session, pupil.pk) for pupil in pupils],
    )
    return render(request, "safeguarding/session_detail.html", context)


@login_required
@require_safe
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _session_or_404(request, pk))


@login_required
@require_POST
def session_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    session = _runnable_or_403(request, pk)
    form = ChecklistForm(request.POST, pupils=session.pupils.all(), prefix="checklist")
    if form.is_valid():

        def save():
            services.session_checklist_record(
                actor=Actor.of(request),
                session=session,
                answers=form.answers(),
                attended=list(form.cleaned_data["attended"]),
            )

        if attempt(form, save):
            messages.success(request, "Checklist recorded.")
            return HttpResponseRedirect(session.get_absolute_url())
    return _render_detail(request, session, checklist_form=form)


@login_required
@require_POST
def session_stop(request: HttpRequest, pk: int) -> HttpResponse:
    session = _runnable_or_403(request, pk)
    form = StopForm(request.POST, pupils=session.pupils.all(), prefix="stop")
    if session.kind == SessionKind.LIVE and form.is_valid():
        services.session_stop(actor=Actor.of(request), session=session)
        messages.warning(request, "Session stopped. Now raise the concern with the DSL team.")
        pupil = form.cleaned_data["pupil"]
        return HttpResponseRedirect(
            reverse("safeguarding:concern_new") + f"?pupil={pupil.pk}&session={session.pk}"
        )
    if session.kind != SessionKind.LIVE:
        form.add_error(None, "Only a live session can be stopped.")
    return _render_detail(request, session, stop_form=form)
