"""Oversight reports for senior leaders (policy sections 3.3 and 6).

A report is asked for on a page, drawn by a Celery worker, and kept in the database (never as
a file under MEDIA) so that nothing about a pupil is ever reachable by URL: the only way to
the PDF is the download view, which checks who is asking and records the download.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from schools.models import School, SchoolClass, Site


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class OversightReport(models.Model):
    """One SLT oversight report: a scope (school, site or class) and a period."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="oversight_reports")
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="class",
    )
    start = models.DateField("first day of the period")
    end = models.DateField("last day of the period")
    status = models.CharField(
        max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0 to 100.")
    error_message = models.CharField(max_length=300, blank=True)
    # The PDF itself: in the database, so no URL can ever reach it.
    content = models.BinaryField(null=True, blank=True, editable=False)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(site__isnull=True) | Q(school_class__isnull=True),
                name="oversight_report_site_or_class_not_both",
                violation_error_message="A report covers a site or a class, not both.",
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="oversight_report_ends_after_start",
                violation_error_message="The last day cannot be before the first.",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="oversight_report_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"Oversight report {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:report_detail", args=[self.pk])

    @property
    def scope_label(self) -> str:
        if self.school_class_id:
            return f"Class: {self.school_class}"
        if self.site_id:
            return f"Site: {self.site}"
        return f"Whole school: {self.school}"

    @property
    def is_finished(self) -> bool:
        return self.status in {ReportStatus.READY, ReportStatus.FAILED}

    @property
    def is_ready(self) -> bool:
        return self.status == ReportStatus.READY
