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
