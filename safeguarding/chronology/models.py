"""A printed safeguarding chronology: one pupil, a period, the categories and kinds of entry
chosen, in full or "for sharing".

Like the SLT report, it is asked for on a page, drawn by a Celery worker and kept in the
database (never as a file under MEDIA), so the only way to the PDF is the gated, audited
download view. A "for sharing" print keeps the list of names it replaced; it is released only
once a member of the DSL team has confirmed that list, and who confirmed it, and when, is kept.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from schools.models import Pupil


class PrintStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ChronologyPrint(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="chronology_prints")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField("first day of the period")
    end = models.DateField("last day of the period")
    # Empty: every category, every kind of entry.
    category_ids = models.JSONField(default=list, blank=True)
    kinds = models.JSONField(default=list, blank=True)
    for_sharing = models.BooleanField(
        default=False, help_text="Names of other children and third parties replaced by roles."
    )
    extra_words = models.JSONField(default=list, blank=True)
    # What the sharing version replaced: [{"name", "role", "count"}], for the DSL to check.
    redactions = models.JSONField(default=list, blank=True, editable=False)
    # Raised each time the PDF is made again (extra words): a confirmation names the revision
    # it saw, so a list that changed meanwhile is not released unseen.
    revision = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=8, choices=PrintStatus.choices, default=PrintStatus.QUEUED)
    error_message = models.CharField(max_length=300, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="chronology_print_ends_after_start",
                violation_error_message="The last day cannot be before the first.",
            ),
        ]

    def __str__(self) -> str:
        return f"Chronology print {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:chronology_print_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {PrintStatus.READY, PrintStatus.FAILED}

    @property
    def is_released(self) -> bool:
        """Ready, and for a sharing version confirmed by the DSL team."""
        return self.status == PrintStatus.READY and (
            not self.for_sharing or self.confirmed_at is not None
        )

    @property
    def version_label(self) -> str:
        return "For sharing (names replaced by roles)" if self.for_sharing else "Full"
