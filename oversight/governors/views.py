"""The governors' summary (policy 3.7 and 6): aggregates at school and site level only.

Read-only, for governors, the chair and the headteacher. No class figures, no pupil names, no
links to pupil pages; every count has passed through ``core.suppression``. The
PDF is made on request (it holds no pupil data, so nothing is stored) and each one is
recorded in the access audit as an export.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from oversight.reports.permissions import governor_school_ids
from oversight.reports.services import governors_summary_context, governors_summary_pdf
from schools.models import School

SUMMARY_SUBJECT = "oversight.governorssummary"


def _school_or_404(request: HttpRequest) -> School:
    """The school whose summary is asked for (``?school=<id>``, default the first one the
    person governs), if they read that school's summary."""
    school_ids = governor_school_ids(request.user)
    wanted = request.GET.get("school")
    if wanted is None and school_ids:
        wanted = str(school_ids[0])
    if not school_ids or not (wanted or "").isdigit() or int(wanted) not in school_ids:
        access_record(
            action=AccessAction.DENIED,
            actor=Actor.of(request),
            subject_type=SUMMARY_SUBJECT,
            detail="governors' summary",
        )
        raise Http404
    return School.objects.get(pk=int(wanted))


@login_required
@require_safe
def governors_summary(request: HttpRequest) -> HttpResponse:
    school = _school_or_404(request)
    context = governors_summary_context(school=school, now=timezone.now())
    others = governor_school_ids(request.user)
    context["other_schools"] = (
        School.objects.filter(pk__in=others).order_by("name") if len(others) > 1 else []
    )
    return render(request, "oversight/governors_summary.html", context)


@login_required
@require_safe
def governors_summary_download(request: HttpRequest) -> HttpResponse:
    school = _school_or_404(request)
    content = governors_summary_pdf(school=school, now=timezone.now(), user=request.user)
    access_record(
        action=AccessAction.EXPORT,
        actor=Actor.of(request),
        subject_type=SUMMARY_SUBJECT,
        subject_id=school.pk,
        detail="governors' summary PDF",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="governors-summary-{school.pk}.pdf"'
    return response
