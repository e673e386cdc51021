"""Staff device security declarations (policy sections 5.1 and 5.3): what each person
declared about the device they use, the IT tasks raised by what they could not confirm
(section 3.5), and when each person was first seen without a current declaration.

These tables began in dataprotection and kept their names (and their constraints' names) when
the models moved here, so no data had to be copied.
"""

from django.conf import settings
from django.db import models


class DeclarationItem(models.TextChoices):
    """What staff declare about the device they use, in the policy's words."""

    STRONG_PASSWORD = (
        "strong_password",
        "The device is password-protected with a strong password: at least 8 characters, "
        "with a combination of upper and lower-case letters, numbers and special characters "
        "(e.g. asterisk or currency symbol).",
    )
    ENCRYPTED = (
        "encrypted",
        "The hard drive is encrypted: if the device is lost or stolen, no one can access the "
        "files stored on the hard drive by attaching it to a new device.",
    )
    LOCKS_WHEN_INACTIVE = (
        "locks_when_inactive",
        "The device locks if left inactive for a period of time.",
    )
    NOT_SHARED = "not_shared", "The device is not shared among family or friends."
    ANTIVIRUS = "antivirus", "Antivirus and anti-spyware software is installed."
    UPDATES = (
        "updates",
        "The operating system is kept up to date: the latest updates are always installed.",
    )
    NOT_OVERLOOKED = (
        "not_overlooked",
        "When I access personal data I am not overlooked by unauthorised users such as "
        "family members.",
    )
    LOCK_WHEN_LEFT = (
        "lock_when_left",
        "I lock the device with a secure password every time it is left unattended.",
    )
    SCHOOL_EQUIPMENT = "school_equipment", "I use school IT equipment where available."


class DeviceDeclaration(models.Model):
    """One person's declaration about their device. Never changed: a new one supersedes it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="device_declarations"
    )
    declared_at = models.DateTimeField()
    device_description = models.CharField(
        max_length=120,
        help_text='The device you use for school work, for example "school laptop" or "own phone".',
    )

    class Meta:
        db_table = "dataprotection_devicedeclaration"
        ordering = ["-declared_at", "-id"]
        indexes = [models.Index(fields=["user", "-declared_at"])]

    def __str__(self) -> str:
        return f"Declaration {self.pk} ({self.declared_at:%d/%m/%Y})"


class DeclarationAnswer(models.Model):
    declaration = models.ForeignKey(
        DeviceDeclaration, on_delete=models.CASCADE, related_name="answers"
    )
    item = models.CharField(max_length=30, choices=DeclarationItem.choices)
    confirmed = models.BooleanField()
    reason = models.CharField(
        max_length=500, blank=True, help_text="Why it cannot be confirmed (required then)."
    )

    class Meta:
        db_table = "dataprotection_declarationanswer"
        ordering = ["declaration", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "item"], name="dataprotection_answer_once_per_item"
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed=True) | ~models.Q(reason=""),
                name="dataprotection_answer_reason_when_not_confirmed",
                violation_error_message="Say why this cannot be confirmed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {'yes' if self.confirmed else 'cannot confirm'}"


class IssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class DeclarationIssue(models.Model):
    """An item someone could not confirm: a task for IT staff (policy section 3.5)."""

    declaration = models.ForeignKey(
        DeviceDeclaration, on_delete=models.PROTECT, related_name="issues"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="declaration_issues",
        help_text="Whose device (the declaration's author).",
    )
    item = models.CharField(max_length=30, choices=DeclarationItem.choices)
    reason = models.CharField(max_length=500)
    raised_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.CharField(
        max_length=500, blank=True, help_text="What was done, for the record."
    )

    class Meta:
        db_table = "dataprotection_declarationissue"
        ordering = ["raised_at", "id"]
        indexes = [models.Index(fields=["status", "user"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status=IssueStatus.OPEN, resolved_by__isnull=True, resolved_at__isnull=True
                )
                | models.Q(
                    status=IssueStatus.RESOLVED,
                    resolved_by__isnull=False,
                    resolved_at__isnull=False,
                ),
                name="dataprotection_issue_resolved_with_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} ({self.get_status_display()})"


class DeclarationDue(models.Model):
    """When a person who must declare was first seen without a declaration: the grace period
    counts from here (not from when the account was made)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declaration_due"
    )
    first_seen_at = models.DateTimeField()

    class Meta:
        db_table = "dataprotection_declarationdue"

    def __str__(self) -> str:
        return f"First seen {self.first_seen_at:%d/%m/%Y}"
