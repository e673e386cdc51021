"""Where a family tells the school something about their child (policy section 3.6): that
the child is unwell or cannot do the day's work, and how the work went. Thin: gate → form →
service → confirmation. Every page goes through families.permissions.access_child; every
write is audited by its service as the carer's own action."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from cases.services import work_feedback_give
from contacts.services import family_report_record
from core.actor import Actor
from core.forms import attempt
from families.boundary import portal_page
from families.permissions import access_child
from families.reports.forms import FamilyReportForm, WorkFeedbackForm
from families.reports.selectors import class_team_name, running_case
from schools.calendar import today

DONE = "families/reports/done.html"


@portal_page
@login_required
@require_safe
def tell_school(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """What the family can tell the school about this child, one link each."""
    _, pupil = access_child(Actor.of(request), pupil_id)
    return render(request, "families/reports/tell.html", {"pupil": pupil})


@portal_page
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request: HttpRequest, pupil_id: int) -> HttpResponse:
    actor = Actor.of(request)
    carer, pupil = access_child(actor, pupil_id)
    form = FamilyReportForm(request.POST or None, initial={"day": today()})
    if request.method == "POST" and form.is_valid():
        written = attempt(
            form,
            lambda: family_report_record(
                actor=actor,
                carer=carer,
                pupil=pupil,
                day=form.cleaned_data["day"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            ),
        )
        if written is not None:
            return HttpResponseRedirect(reverse("families:report_done", args=[pupil.pk]))
    return render(request, "families/reports/report.html", {"pupil": pupil, "form": form})


@portal_page
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_new(request: HttpRequest, pupil_id: int) -> HttpResponse:
    actor = Actor.of(request)
    carer, pupil = access_child(actor, pupil_id)
    case = running_case(pupil)
    form = WorkFeedbackForm(request.POST or None, initial={"starts_on": today()})
    if case is not None and request.method == "POST" and form.is_valid():
        written = attempt(
            form,
            lambda: work_feedback_give(
                actor=actor,
                case=case,
                carer=carer,
                period=form.cleaned_data["period"],
                starts_on=form.cleaned_data["starts_on"],
                rating=form.cleaned_data["rating"],
                note=form.cleaned_data["note"],
            ),
        )
        if written is not None:
            return HttpResponseRedirect(reverse("families:report_done", args=[pupil.pk]))
    return render(
        request,
        "families/reports/feedback.html",
        {"pupil": pupil, "form": form, "running": case is not None},
    )


@portal_page
@login_required
@require_safe
def report_done(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """The confirmation after telling the school anything about the child."""
    _, pupil = access_child(Actor.of(request), pupil_id)
    return render(request, DONE, {"pupil": pupil, "team": class_team_name(pupil)})
