"""Reads for the breach register and the retention queue, shaped for pages and the home page."""

from django.db.models import Count, QuerySet

from dpo.clock import clock_for
from dpo.models import Breach, ItemStatus, RetentionReviewItem
from dpo.permissions import breaches_visible_to, can_oversee_breaches, retention_items_visible_to

HOME_LIMIT = 10


def breach_for_page(pk: int) -> Breach | None:
    return (
        Breach.objects.select_related("school", "reported_by")
        .prefetch_related("steps__recorded_by")
        .filter(pk=pk)
        .first()
    )


def breaches_for_list(user: object) -> QuerySet[Breach]:
    """Open breaches first (oldest discovery first: the most urgent clock), then closed."""
    return (
        breaches_visible_to(user)
        .select_related("school", "reported_by")
        .order_by("closed_at", "discovered_at", "id")
    )


def with_clocks(breaches) -> list[Breach]:
    """Attach the 72-hour clock to each breach (no query)."""
    rows = list(breaches)
    for breach in rows:
        breach.clock = clock_for(breach)
    return rows


def open_breaches_for_home(user: object) -> list[Breach]:
    """For the home page: the open breaches a DPO or headteacher oversees, each with its
    72-hour clock (``breach.clock.text``, ``breach.clock.css``), most urgent first. Empty for
    everyone else. One query."""
    if not can_oversee_breaches(user):
        return []
    return with_clocks(
        breaches_visible_to(user)
        .filter(closed_at__isnull=True)
        .select_related("school")
        .order_by("discovered_at", "id")[:HOME_LIMIT]
    )


def retention_queue(user: object, *, status: str = "") -> QuerySet[RetentionReviewItem]:
    items = retention_items_visible_to(user).select_related("school", "decided_by")
    if status in ItemStatus.values:
        items = items.filter(status=status)
    return items.order_by("due_on", "id")


def retention_item_for_page(pk: int) -> RetentionReviewItem | None:
    return (
        RetentionReviewItem.objects.select_related("school", "decided_by", "anonymised_by")
        .filter(pk=pk)
        .first()
    )


def case_facts(item: RetentionReviewItem) -> dict[str, object] | None:
    """What anonymising a closed case would touch, in dates and counts only (the DPO sees no
    pupil's records): enough to decide without opening the case."""
    from cases.models import Case

    case = (
        Case.objects.filter(pk=item.record_id)
        .annotate(
            contact_count=Count("contacts", distinct=True),
            agreement_count=Count("agreements", distinct=True),
            review_count=Count("reviews", distinct=True),
        )
        .first()
    )
    if case is None:
        return None
    return {
        "reason": case.get_reason_display(),
        "started": case.start_date,
        "closed": case.closed_at,
        "contacts": case.contact_count,
        "agreements": case.agreement_count,
        "reviews": case.review_count,
    }
