"""Virtual session pages (policy Appendix 1). Thin: form → gate → service → redirect.

The teachers and class staff of the invited pupils' classes plan and run a session; SLT, the
headteacher and the DSL team of the pupils' site read it (403 when they try to act); everyone
else gets the same audited 404 as for a session that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from safeguarding import permissions
from safeguarding.models import SessionKind, VirtualSession
from safeguarding.sessions import services
from safeguarding.sessions.forms import AgreementForm, ChecklistForm, SessionPlanForm, StopForm
from safeguarding.sessions.permissions import (
    SESSION_SUBJECT,
    access_session,
    access_session_agreement,
    access_session_gaps,
    access_session_list,
    access_session_planning,
)
from safeguarding.visibility import concerns_known_to

# --- Lists -----------------------------------------------------------------------------------


@login_required
@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = list(
        access_session_list(Actor.of(request)).prefetch_related("pupils").order_by("starts_at")
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
    access_session_gaps(Actor.of(request))
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
    school = access_session_planning(Actor.of(request))
    pupils = permissions.invitable_pupils(request.user)
    staff = permissions.session_staff(school.pk, pupils.values("school_class__site_id"))
    form = SessionPlanForm(request.POST or None, pupils=pupils, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
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
            if prerecorded:
                return services.session_record_prerecorded(**arguments)
            return services.session_plan(**arguments, meeting_link=data["meeting_link"])

        if session := attempt(form, save):
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
    # Class staff record the family's agreement; those who only read sessions get 403 here.
    pupil = access_session_agreement(Actor.of(request), pupil_pk, to="act")
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def save():
            return services.session_agreement_record(
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
        {
            "form": form,
            "pupil": pupil,
            "agreements": pupil.session_agreements.select_related("term"),
        },
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
        "concerns_count": session.concerns.filter(concerns_known_to(request.user)).count(),
        # Anyone who sees a pupil may raise a concern about them, not only when stopping.
        "raisable": [
            pupil
            for pupil in session.pupils.select_related("school_class")
            if permissions.can_raise_concern_for(request.user, pupil)
        ],
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
    return _render_detail(request, access_session(Actor.of(request), pk))


@login_required
@require_POST
def session_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(Actor.of(request), pk, to="act")
    form = ChecklistForm(request.POST, pupils=session.pupils.all(), prefix="checklist")
    if form.is_valid():

        def save():
            return services.session_checklist_record(
                actor=Actor.of(request),
                session=session,
                answers=form.answers(),
                attended=list(form.cleaned_data["attended"]),
            )

        if attempt(form, save) is not None:
            messages.success(request, "Checklist recorded.")
            return HttpResponseRedirect(session.get_absolute_url())
    return _render_detail(request, session, checklist_form=form)


@login_required
@require_POST
def session_stop(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(Actor.of(request), pk, to="act")
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
