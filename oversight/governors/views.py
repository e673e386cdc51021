"""The governors' summary (policy 3.7 and 6): aggregates at school and site level only.

Read-only, for governors, the chair and the headteacher. No class figures, no pupil names, no
links to pupil pages; every count has passed through ``core.suppression``. The
PDF is made on request (it holds no pupil data, so nothing is stored) and each one is
recorded in the access audit as an export.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from oversight.reports.permissions import (
    SUMMARY_SUBJECT,
    access_governors_summary,
    governor_school_ids,
)
from oversight.reports.services import governors_summary_context, governors_summary_pdf
from schools.models import School


@login_required
@require_safe
def governors_summary(request: HttpRequest) -> HttpResponse:
    school = access_governors_summary(Actor.of(request), request.GET.get("school"))
    context = governors_summary_context(school=school, now=timezone.now())
    others = governor_school_ids(request.user)
    context["other_schools"] = (
        School.objects.filter(pk__in=others).order_by("name") if len(others) > 1 else []
    )
    return render(request, "oversight/governors_summary.html", context)


@login_required
@require_safe
def governors_summary_download(request: HttpRequest) -> HttpResponse:
    school = access_governors_summary(Actor.of(request), request.GET.get("school"))
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
