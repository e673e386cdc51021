"""The access audit (policy section 5): who viewed, exported or printed which pupil's data,
and every attempt that was refused.

Rows are only ever added. The database itself refuses UPDATE and DELETE on the table
(triggers installed by migration); only a recorded retention purge may remove old rows.
People and pupils are referred to by id without foreign keys, so an audit row outlives the
account or the record it names, and the names of people are kept as they were at the time.
"""

from django.conf import settings
from django.db import models


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    SHARE = "share", "Shared"
    UNSHARE = "unshare", "Stopped sharing"
    IMPORT = "import", "Imported"
    DENIED = "denied", "Refused"


class AccessEvent(models.Model):
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    user_display = models.CharField(
        max_length=260, help_text="The person's name and email when this happened."
    )
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    subject_type = models.CharField(
        max_length=100, blank=True, help_text="What was looked at, as app.model."
    )
    subject_id = models.CharField(max_length=64, blank=True)
    pupil_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    route = models.CharField(
        max_length=120, blank=True, help_text="The page or command, by name (never the URL)."
    )
    detail = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["pupil_id", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.user_display} {self.get_action_display()} {self.subject_type}"


class RetentionPurge(models.Model):
    """While a row here exists, access events older than ``purge_before`` may be deleted.

    The purge command opens this window, deletes, and closes it in one transaction, so the
    triggers refuse every other DELETE.
    """

    purge_before = models.DateTimeField()
    reason = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"Purge before {self.purge_before:%d/%m/%Y}"


# --- Tamper evidence: seals over the access audit -------------------------------------------
# Every fifteen minutes a job seals the events recorded since the last seal. Each sealed event
# gets a row in AuditEventHash holding a hash chain link:
#
#     chain_hash = SHA-256(previous_hash + canonical serialisation of the event)
#
# where previous_hash is the chain hash of the event sealed just before it (for the very
# first event ever sealed, the empty string). A seal's digest is the chain hash of its last
# event, so it commits to every event before it, in id order; its previous_digest is the
# digest of the seal before. All three tables are append-only in the database (migration
# 0004), like the access audit itself.
#
# Because every link stores the hash it was chained onto, each event can be checked on its
# own: verification names the first event whose stored link no longer matches what it now
# holds, and the first sealed event that has gone, even when the retention purge has removed
# the older parts of the chain (see PurgeCheckpoint).


class AuditSeal(models.Model):
    sequence = models.PositiveBigIntegerField(
        unique=True, help_text="1 for the first seal, then one more for each."
    )
    sealed_at = models.DateTimeField()
    first_event_id = models.BigIntegerField(unique=True, help_text="Lowest event id sealed.")
    last_event_id = models.BigIntegerField(help_text="Highest event id sealed.")
    event_count = models.PositiveIntegerField()
    digest = models.CharField(
        max_length=64, help_text="Hex SHA-256 chain hash after the seal's last event."
    )
    previous_digest = models.CharField(
        max_length=64, blank=True, help_text="The digest of the seal before (empty for the first)."
    )

    class Meta:
        ordering = ["-sequence"]
        get_latest_by = "sequence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event_count__gte=1), name="dataprotection_seal_not_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(last_event_id__gte=models.F("first_event_id")),
                name="dataprotection_seal_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Seal {self.sequence}: events {self.first_event_id} to {self.last_event_id}"


class AuditEventHash(models.Model):
    """One sealed event's link in the hash chain. Kept after the event itself is purged, so
    the chain of the events that remain can still be checked."""

    event_id = models.BigIntegerField(unique=True)
    seal_sequence = models.PositiveBigIntegerField(db_index=True)
    occurred_at = models.DateTimeField(help_text="When the event happened, as sealed.")
    previous_hash = models.CharField(max_length=64, blank=True)
    chain_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seal_sequence", "event_id"]
        indexes = [models.Index(fields=["seal_sequence", "event_id"])]

    def __str__(self) -> str:
        return f"Event {self.event_id} in seal {self.seal_sequence}"


class PurgeCheckpoint(models.Model):
    """A retention purge removed every access event older than ``purge_before``: sealed events
    missing from before it are accounted for, not tampered with."""

    purge_before = models.DateTimeField()
    recorded_at = models.DateTimeField()
    deleted_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-purge_before"]

    def __str__(self) -> str:
        return f"Purged before {self.purge_before:%d/%m/%Y}"


class AuditVerification(models.Model):
    """One run of verify_audit_chain: what it checked and what it found."""

    verified_at = models.DateTimeField(db_index=True)
    ok = models.BooleanField()
    seals_checked = models.PositiveIntegerField(default=0)
    events_checked = models.PositiveIntegerField(default=0)
    events_purged = models.PositiveIntegerField(
        default=0, help_text="Sealed events since removed by a retention purge."
    )
    last_seal_sequence = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The latest seal this run checked."
    )
    first_bad_event_id = models.BigIntegerField(null=True, blank=True)
    first_bad_seal_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    message = models.CharField(max_length=500)

    class Meta:
        ordering = ["-verified_at", "-id"]
        get_latest_by = ["verified_at", "id"]

    def __str__(self) -> str:
        return f"{'Verified' if self.ok else 'FAILED'} {self.verified_at:%d/%m/%Y %H:%M}"


# --- Device security declarations (policy sections 5.1 and 5.3) -----------------------------


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

    def __str__(self) -> str:
        return f"First seen {self.first_seen_at:%d/%m/%Y}"
