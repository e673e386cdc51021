"""Services for the SLT oversight report and the governors' summary (policy 3.3, 3.7, 6).

The SLT report is asked for on a page (``oversight_report_request``), drawn by a Celery task
(``oversight_report_render``, idempotent: only a queued report is taken), kept in the
database for ``OVERSIGHT_REPORT_RETENTION_DAYS`` days and then deleted by the sweep, in one
statement. A render that fails leaves the report "failed" with a plain message, and it can be
tried again; nothing about a pupil reaches the log.

The governors' summary is made on request, synchronously: it holds aggregates only (no pupil
data to keep or protect at rest), costs a fixed handful of queries and one WeasyPrint
render, and so needs neither a queue nor storage.
"""

import datetime
import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.dates import period_errors as past_period_errors
from core.pdf import render_pdf
from core.queue import enqueue_on_commit
from core.suppression import share_of, suppressed
from dataprotection.selectors import latest_seal
from declarations.selectors import declaration_coverage
from governance.pulse_figures import term_coping
from governance.selectors import monitoring_for_report
from oversight import charts
from oversight.measures.cases import ATTENTION_ROWS
from oversight.measures.governors import governor_figures, recent_terms, security_figures
from oversight.measures.scope import Scope
from oversight.measures.slt import slt_figures
from oversight.models import OversightReport, ReportStatus
from oversight.reports.permissions import ReportScope, report_scopes_for
from schools.calendar import today as school_today
from schools.models import School

logger = logging.getLogger(__name__)

LONGEST_PERIOD_DAYS = 366
FAILED_MESSAGE = (
    "The report could not be made. Try again; if it fails again, ask IT to check the logs."
)
STOPPED_MESSAGE = "The report stopped before it was finished. Try again."


def retention_days() -> int:
    return int(getattr(settings, "OVERSIGHT_REPORT_RETENTION_DAYS", 30))


def period_errors(
    start: datetime.date | None, end: datetime.date | None, today: datetime.date
) -> dict[str, str]:
    """A report's period: any period of past days (core.dates), and at most a year."""
    errors = past_period_errors(start, end, today)
    if start and end and "end" not in errors and (end - start).days >= LONGEST_PERIOD_DAYS:
        errors["end"] = "A report covers at most a year: choose a shorter period."
    return errors


# --- The SLT report -----------------------------------------------------------------------------


@transaction.atomic
def oversight_report_request(
    *, user: object, scope_value: str, start: datetime.date, end: datetime.date
) -> OversightReport:
    """Queue a report on a scope this person may see. A scope they may not see is refused
    as if it were not there (it was not offered on the form)."""
    scopes = {scope.value: scope for scope in report_scopes_for(user)}
    scope: ReportScope | None = scopes.get(scope_value)
    errors: dict[str, str] = {}
    if scope is None:
        errors["scope"] = "Choose one of the scopes in the list."
    errors.update(period_errors(start, end, school_today()))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    report = OversightReport(
        requested_by=user,
        school_id=scope.school_id,
        site_id=scope.site_id if scope.class_id is None else None,
        school_class_id=scope.class_id,
        start=start,
        end=end,
        expires_at=now + datetime.timedelta(days=retention_days()),
    )
    report.full_clean()
    report.save()
    _enqueue(report.pk)
    return report


def _enqueue(report_id: int) -> None:
    enqueue_on_commit("oversight.tasks.oversight_report_render_task", report_id)


@transaction.atomic
def oversight_report_retry(*, report: OversightReport) -> OversightReport:
    """Queue a failed report again. Anything else is left as it is."""
    updated = OversightReport.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
        status=ReportStatus.QUEUED,
        progress=0,
        error_message="",
        started_at=None,
        expires_at=timezone.now() + datetime.timedelta(days=retention_days()),
    )
    if updated:
        _enqueue(report.pk)
    report.refresh_from_db()
    return report


def _progress(report_id: int, percent: int) -> None:
    OversightReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
        progress=percent
    )


def report_scope(report: OversightReport) -> Scope:
    return Scope(report.school_id, site_id=report.site_id, class_id=report.school_class_id)


def oversight_report_render(*, report_id: int) -> OversightReport | None:
    """Draw one queued report. Idempotent: a report already taken, finished or deleted is
    left alone, so a task delivered twice does nothing the second time."""
    claimed = OversightReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=timezone.now(), progress=5
    )
    if not claimed:
        return None
    report = OversightReport.objects.select_related(
        "school", "site", "school_class__site", "requested_by"
    ).get(pk=report_id)
    try:
        now = timezone.now()
        context = slt_report_context(report, now=now, progress=lambda p: _progress(report_id, p))
        content = render_pdf("oversight/pdf/slt_report.html", context)
    except Exception as exc:
        # The message may quote data: log the exception's type and where it happened only.
        where = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("Oversight report %s failed: %s\n%s", report_id, type(exc).__name__, where)
        OversightReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error_message=FAILED_MESSAGE, content=None
        )
    else:
        OversightReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
            status=ReportStatus.READY, progress=100, content=content, ready_at=timezone.now()
        )
        logger.info("Oversight report %s ready (%s bytes)", report_id, len(content))
    report.refresh_from_db()
    return report


def monitoring_activities(report: OversightReport, end: datetime.date) -> list:
    """SLT monitoring activities recorded in governance for the report's scope and period."""
    site_id = report.site_id
    if report.school_class_id is not None:
        site_id = report.school_class.site_id
    return list(
        monitoring_for_report(
            school_id=report.school_id, site_id=site_id, start=report.start, end=end
        )
    )


def slt_report_context(
    report: OversightReport,
    *,
    now: datetime.datetime,
    progress: Callable[[int], None] = lambda percent: None,
) -> dict[str, Any]:
    """Everything the report template needs: the figures (a fixed number of queries), the
    charts drawn from them, and the cover."""
    today = timezone.localdate(now)
    # Figures run to today at the latest: a day yet to come has no contacts to count.
    end = min(report.end, today)
    figures = slt_figures(report_scope(report), report.start, end, today=today, now=now)
    progress(50)
    monitoring = monitoring_activities(report, end)
    progress(60)
    weekly_chart = charts.bar_chart(
        [
            (
                week.label,
                [
                    charts.Bar("Daily contacts", week.percent, _share(week.made, week.due)),
                    charts.Bar(
                        "Wellbeing checks",
                        week.checks_percent,
                        _share(week.checks_made, week.checks_due),
                    ),
                ],
            )
            for week in figures.contacts.by_week
        ],
        title="Contacts made as a share of those due, by week",
    )
    progress(70)
    return {
        "title": f"Remote education oversight report, {report.scope_label}",
        "school_name": report.school.name,
        "report": report,
        "figures": figures,
        "figures_to": end,
        "attention_limit": ATTENTION_ROWS,
        "monitoring": monitoring,
        "weekly_chart": weekly_chart if figures.contacts.by_week else None,
        "generated_at": now,
        "generated_by": report.requested_by.full_name or report.requested_by.email,
    }


def _share(part: int, whole: int) -> str:
    if not whole:
        return "none due"
    return f"{part} of {whole} ({round(100 * part / whole)}%)"


def oversight_reports_sweep(
    *,
    now: datetime.datetime | None = None,
    queued_for: datetime.timedelta = datetime.timedelta(minutes=5),
    running_for: datetime.timedelta = datetime.timedelta(hours=1),
) -> dict[str, int]:
    """Delete expired reports (one statement), close reports a dead worker left running, and
    send again the reports whose task the broker lost."""
    now = now or timezone.now()
    deleted, _ = OversightReport.objects.filter(expires_at__lte=now).delete()
    stuck = OversightReport.objects.filter(
        status=ReportStatus.RUNNING, started_at__lt=now - running_for
    ).update(status=ReportStatus.FAILED, error_message=STOPPED_MESSAGE, content=None)
    lost = list(
        OversightReport.objects.filter(
            status=ReportStatus.QUEUED, requested_at__lt=now - queued_for
        ).values_list("pk", flat=True)[:50]
    )
    for report_id in lost:
        _enqueue(report_id)
    counts = {"deleted": deleted, "stopped": stuck, "sent_again": len(lost)}
    logger.info("Oversight reports sweep: %s", counts)
    return counts


# --- The governors' summary ---------------------------------------------------------------------


def governors_summary_context(*, school: School, now: datetime.datetime) -> dict[str, Any]:
    """Aggregates for the school and its sites over the last three terms, every count
    suppressed below the threshold, and the security measures in force."""
    today = timezone.localdate(now)
    figures = governor_figures(school.pk, today)
    terms = recent_terms(school.pk, today, count=1)
    current = terms[-1] if terms else None
    security = security_figures(school.pk, current.first_day if current else None)
    staff = len(security.staff_ids)
    measures: list[tuple[str, str]] = [
        # Staff figures are about the school's safeguards, not about children: shown in full.
        ("Staff with a second sign-in factor (MFA)", share_of(security.with_mfa, staff)),
    ]
    if current is not None:
        measures.append(
            (
                f"Access audit: events recorded this term (since {current.first_day:%d/%m/%Y})",
                suppressed(security.audit_events),
            )
        )
    seal = describe_seal(latest_seal())
    coverage = declaration_coverage(user_ids=security.staff_ids)
    measures += [
        (
            "Staff with a current device declaration, every item confirmed",
            share_of(coverage.compliant, coverage.staff),
        ),
        (
            "Staff whose declaration is waiting for IT (an item not confirmed)",
            f"{coverage.waiting_for_it:,}",
        ),
    ]
    pulse = None
    if current is not None:
        # The very figures of the governors' wellbeing page, so that together they give
        # nothing away that either hides.
        pulse = term_coping(school_id=school.pk, first_day=current.first_day, on=today)
    chart = charts.bar_chart(
        [
            (site, [charts.Bar(term, value, text) for term, value, text in bars])
            for site, bars in figures.compliance_chart
        ],
        title="Daily contacts made as a share of those due, by site and term",
        description="Bars are drawn only where the share may be shown.",
    )
    return {
        "title": f"Remote education: governors' summary for {school.name}",
        "school_name": school.name,
        "school": school,
        "figures": figures,
        "security": measures,
        "seal": seal,
        "pulse": pulse,
        "current_term": current,
        # Drawn only when at least one bar may be shown.
        "chart": chart
        if any(value is not None for _, bars in figures.compliance_chart for _, value, _ in bars)
        else None,
        "generated_at": now,
        "threshold": settings.SMALL_NUMBER_THRESHOLD,
    }


def describe_seal(seal: object | None) -> str:
    """The latest seal over the access audit, in words: when it was made and whether the
    nightly check found the chain intact."""
    if seal is None:
        return "Not sealed yet"
    sealed_at = timezone.localtime(seal.sealed_at)
    text = f"Seal {seal.sequence}, made {sealed_at:%d/%m/%Y %H:%M}"
    verified_at = getattr(seal, "verified_at", None)
    verified_ok = getattr(seal, "verified_ok", None)
    if verified_at is None or verified_ok is None:
        return f"{text}; not yet checked"
    checked = f"{timezone.localtime(verified_at):%d/%m/%Y}"
    if verified_ok:
        return f"{text}; checked {checked}: the audit is intact"
    return f"{text}; checked {checked}: THE CHECK FAILED, ask the DPO"


def governors_summary_pdf(*, school: School, now: datetime.datetime, user: object) -> bytes:
    context = governors_summary_context(school=school, now=now)
    context["generated_by"] = getattr(user, "full_name", "") or getattr(user, "email", "")
    context["pdf"] = True  # captions for screen readers only: print.css cannot hide them
    return render_pdf("oversight/pdf/governors_summary.html", context)
