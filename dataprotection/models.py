"""The access audit (policy section 5): who viewed, exported or printed which pupil's data,
and every attempt that was refused.

Rows are only ever added. The database itself refuses UPDATE and DELETE on the table
(triggers installed by migration); only a recorded retention purge may remove old rows.
People and pupils are referred to by id without foreign keys, so an audit row outlives the
account or the record it names, and the names of people are kept as they were at the time.
"""

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
