"""Delete access events older than the retention period (policy section 5).

The only way rows leave the access audit: the table's triggers refuse every other DELETE. In
one transaction this opens a purge window (a RetentionPurge row), deletes what is older than
its cutoff, closes the window again, records a PurgeCheckpoint (so verify_audit_chain knows
the sealed events before the cutoff were purged, not tampered with) and records the purge in
the audit itself.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from dataprotection.models import AccessAction, AccessEvent, RetentionPurge
from dataprotection.seals.services import purge_checkpoint_record
from dataprotection.selectors import LONDON, local_midnight

DEFAULT_RETENTION_DAYS = 6 * 365
COMMAND_NAME = "purge_access_events"
REASON_MAX_LENGTH = RetentionPurge._meta.get_field("reason").max_length


def retention_days() -> int:
    return getattr(settings, "ACCESS_EVENT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)


def purge_cutoff(*, older_than_days: int, today: datetime.date | None = None) -> datetime.datetime:
    """Local midnight ``older_than_days`` days before today (Europe/London)."""
    if today is None:
        today = timezone.localdate(timezone=LONDON)
    return local_midnight(today - datetime.timedelta(days=older_than_days))


@transaction.atomic
def access_events_purge(*, before: datetime.datetime, reason: str) -> int:
    """Delete every access event that occurred before ``before``; return how many went."""
    window = RetentionPurge(purge_before=before, reason=reason)
    window.full_clean()
    window.save()
    deleted, _ = AccessEvent.objects.filter(occurred_at__lt=before).delete()
    window.delete()
    # Sealed events from before the cutoff are now gone on purpose: tell verification so.
    purge_checkpoint_record(before=before, deleted=deleted)
    cutoff_date = timezone.localtime(before, LONDON).date()
    detail = (
        f"retention purge: {deleted} events older than {cutoff_date:%d/%m/%Y}; reason: {reason}"
    )
    AccessEvent.objects.create(
        user_display=f"System ({COMMAND_NAME} command)",
        action=AccessAction.CHANGE,
        subject_type=AccessEvent._meta.label_lower,
        route=COMMAND_NAME,
        detail=detail[:300],
    )
    return deleted


class Command(BaseCommand):
    help = (
        "Delete access events older than the retention period (ACCESS_EVENT_RETENTION_DAYS, "
        "six years unless set) and record the purge in the access audit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            metavar="N",
            help="Delete events from before local midnight N days ago "
            "(default: ACCESS_EVENT_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--reason",
            required=True,
            help="Why, for the audit (for example: annual retention review). Name no one.",
        )

    def handle(self, *args: object, **options: object) -> None:
        days = options["older_than_days"]
        if days is None:
            days = retention_days()
        if days < 1:
            raise CommandError("--older-than-days must be 1 or more.")
        reason = (options["reason"] or "").strip()
        if not reason:
            raise CommandError("Give a --reason for the purge; it is kept in the access audit.")
        if len(reason) > REASON_MAX_LENGTH:
            raise CommandError(f"Keep the --reason to {REASON_MAX_LENGTH} characters or fewer.")
        cutoff = purge_cutoff(older_than_days=days)
        deleted = access_events_purge(before=cutoff, reason=reason)
        cutoff_date = timezone.localtime(cutoff, LONDON).date()
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {deleted} access events older than {cutoff_date:%d/%m/%Y}."
            )
        )
