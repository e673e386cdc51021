"""Views that belong to the whole service rather than one app."""

import logging
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cases.flags.selectors import flags_needing_action
from cases.permissions import can_list_cases
from dpo.selectors import open_breaches_for_home
from dpo.subject_access.selectors import sar_due_for_home
from governance.permissions import can_answer_pulse, can_list_monitoring
from governance.selectors import policy_reviews_due_for
from oversight.my_tasks.permissions import has_tasks_page
from oversight.my_tasks.selectors import task_counts
from oversight.reports.permissions import can_request_reports, can_view_governors_summary
from remote_learning.celery import app as celery_app
from remote_learning.home import home_work_for
from schools.calendar import today
from schools.models import Role
from schools.permissions import DSL_ROLES, can_list_pupils, can_view_access_log, memberships_of
from schools.selectors import my_classes
from schools.term_dates.selectors import calendar_health, calendar_notices_for
from setup.checklist.selectors import setup_to_do_for_home

logger = logging.getLogger(__name__)

BROKER_CHECK_TIMEOUT_SECONDS = 2


def greeting_for(moment: datetime) -> str:
    hour = timezone.localtime(moment).hour
    if hour < 12:
        return "Good morning"
    if hour < 18:
        return "Good afternoon"
    return "Good evening"


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each person's starting point: their roles and the work that belongs to them."""
    user = request.user
    memberships = memberships_of(user)
    roles = {m.role for m in memberships}
    return render(
        request,
        "home.html",
        {
            "greeting": greeting_for(timezone.now()),
            "work": home_work_for(user, today()),
            "memberships": memberships,
            "classes": my_classes(user),
            "dsl_sites": [m.site for m in memberships if m.role in DSL_ROLES and m.site],
            "can_list_pupils": can_list_pupils(user),
            "sees_access_log": can_view_access_log(user),
            "is_governor": bool(roles & {Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS}),
            "can_list_cases": can_list_cases(user),
            "flags": flags_needing_action(user),
            "policy_reviews_due": policy_reviews_due_for(user),
            "open_breaches": open_breaches_for_home(user),
            "sar_due": sar_due_for_home(user),
            "can_request_reports": can_request_reports(user),
            "can_list_monitoring": can_list_monitoring(user),
            "sees_governors_summary": can_view_governors_summary(user),
            "can_answer_pulse": can_answer_pulse(user),
            "calendar_notices": calendar_notices_for(user),
            "setup_to_do": setup_to_do_for_home(user),
            "task_counts": task_counts(user) if has_tasks_page(user) else None,
        },
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unavailable")
        return False
    return True


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_CHECK_TIMEOUT_SECONDS)
    except Exception:
        logger.warning("Health check: broker unavailable")
        return False
    return True


def _calendar_state() -> str:
    """ok, ending (under six school weeks ahead) or missing: the worst of any school. A
    database not yet migrated answers "unavailable" rather than failing the health check."""
    try:
        return calendar_health(today())
    except DatabaseError:
        logger.exception("Health check: calendar unavailable")
        return "unavailable"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and monitoring. No login, no personal data.

    The web service is healthy while its database answers; a broker outage only delays
    background work (see core.queue), so it is reported as "degraded", not down.
    """
    database = _database_ok()
    broker = _broker_ok()
    if not database:
        status, code = "down", 503
    elif not broker:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse(
        {
            "status": status,
            "database": "ok" if database else "unavailable",
            "broker": "ok" if broker else "unavailable",
            "calendar": _calendar_state() if database else "unavailable",
        },
        status=code,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
