"""Reads for the complaints log: a fixed number of queries whatever the number of rows."""

from django.db.models import Exists, OuterRef, QuerySet

from families.complaints.permissions import complaints_visible_to
from families.models import Complaint, ComplaintResponse


def complaints_log(user: object) -> QuerySet[Complaint]:
    """The complaints this person reads, soonest due first, those still unanswered marked
    (paginate it: one COUNT and one page query)."""
    return (
        complaints_visible_to(user)
        .select_related("carer", "pupil", "school_class__site")
        .annotate(answered=Exists(ComplaintResponse.objects.filter(complaint=OuterRef("pk"))))
        .order_by("answered", "response_due", "received_at", "pk")
    )


def responses_to(complaint: Complaint) -> list[ComplaintResponse]:
    return list(complaint.responses.select_related("responded_by", "corrects"))
