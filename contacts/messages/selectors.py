"""Reads for the family messages' pages."""

from django.db.models import Count, Q, QuerySet

from contacts.models import FamilyMessage
from core.outbox import OutboxStatus


def with_delivery_counts(queryset: QuerySet[FamilyMessage]) -> QuerySet[FamilyMessage]:
    """Messages newest first, each with its families sent, waiting and failed (one query)."""
    return (
        queryset.select_related("sent_by", "site", "school_class")
        .annotate(
            sent=Count("deliveries", filter=Q(deliveries__status=OutboxStatus.SENT)),
            waiting=Count("deliveries", filter=Q(deliveries__status=OutboxStatus.PENDING)),
            failed=Count("deliveries", filter=Q(deliveries__status=OutboxStatus.FAILED)),
            families=Count("deliveries"),
        )
        .order_by("-created_at", "-id")
    )
