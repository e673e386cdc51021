"""Celery tasks for oversight reports. Each takes ids (or nothing) and calls a service."""

from celery import shared_task

from oversight.reports.services import oversight_report_render, oversight_reports_sweep


@shared_task
def oversight_report_render_task(report_id: int) -> None:
    """Draw one queued report. Safe to deliver twice: a report already taken is left alone."""
    oversight_report_render(report_id=report_id)


@shared_task
def oversight_reports_sweep_task() -> None:
    """Delete expired reports and catch up on reports whose task was lost."""
    oversight_reports_sweep()
