"""What setting a school up keeps: every change to a setting, as a version."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguarding.models import ConcernCategory
from schools.models import School


class SettingChange(models.Model):
    """One change to one of a school's settings: who, when, the old value, the new and why.

    Values are kept as text in the form the setting descriptor writes them (``"30"``,
    ``"08:45"``, ``"Y6"``), so one table holds the history of every kind of setting.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(
        max_length=60, help_text="The setting, as the settings registry names it."
    )
    old_value = models.CharField(max_length=40)
    new_value = models.CharField(max_length=40)
    reason = models.TextField(max_length=2000)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-changed_at", "-id"], name="setup_change_school"),
            models.Index(fields=["school", "key", "-changed_at"], name="setup_change_setting"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="setup_setting_change_has_a_reason",
                violation_error_message="Say why this setting is changing.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.old_value} → {self.new_value}"


class CategoryChangeKind(models.TextChoices):
    ADDED = "added", "Added"
    RENAMED = "renamed", "Renamed"
    RETIRED = "retired", "Retired"
    REINSTATED = "reinstated", "Offered again"
    BODY_MAP = "body_map", "Records a body map"
    DSL_TEAM_ONLY = "dsl_team_only", "For the DSL team only"


class ConcernCategoryChange(models.Model):
    """One change to one of a school's concern categories: who, when, what changed, the old
    value, the new and why. A category is never deleted: concerns keep the one they were
    raised in, and a retired one is kept, no longer offered for new concerns."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(ConcernCategory, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=CategoryChangeKind.choices)
    old_value = models.CharField(max_length=100, blank=True)
    new_value = models.CharField(max_length=100, blank=True)
    reason = models.TextField(max_length=2000)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(
                fields=["school", "-changed_at", "-id"], name="setup_category_change_school"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="setup_category_change_has_a_reason",
                violation_error_message="Say why this category is changing.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.old_value} → {self.new_value}"
