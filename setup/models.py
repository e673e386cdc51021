"""What setting a school up keeps: every change to a setting, as a version."""

from django.conf import settings
from django.db import models
from django.db.models import Q

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
