"""Reads for the register of subject access requests and the DPO's home page."""

import datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When

from dpo.models import RequestStatus, SubjectAccessRequest
from dpo.subject_access.permissions import subject_access_school_ids
from schools.calendar import today

HOME_LIMIT = 10
HOME_WINDOW = datetime.timedelta(days=7)


def requests_visible_to(user: object) -> QuerySet[SubjectAccessRequest]:
    """Requests at the schools where this person is the DPO; none for anyone else."""
    school_ids = subject_access_school_ids(user)
    if not school_ids:
        return SubjectAccessRequest.objects.none()
    return SubjectAccessRequest.objects.filter(school_id__in=school_ids)


def requests_for_register(user: object) -> QuerySet[SubjectAccessRequest]:
    """Open requests first, soonest due first; then answered or withdrawn, latest first."""
    return (
        requests_visible_to(user)
        .select_related("pupil", "school")
        .annotate(
            closed=Case(
                When(status=RequestStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "due_on", "id")
    )


def request_for_page(pk: int) -> SubjectAccessRequest | None:
    return (
        SubjectAccessRequest.objects.select_related("pupil", "school", "logged_by", "answered_by")
        .filter(pk=pk)
        .first()
    )


def with_deadlines(requests, on: datetime.date | None = None) -> list[SubjectAccessRequest]:
    """Attach ``deadline`` (text) and ``overdue`` to each request, by the UK date (no query)."""
    day = on or today()
    rows = list(requests)
    for sar in rows:
        sar.deadline = sar.deadline_text(day) if sar.is_open else ""
        sar.overdue = sar.is_open and sar.due_on < day
    return rows


def sar_due_for_home(user: object) -> list[SubjectAccessRequest]:
    """For the DPO's home page: open requests due within seven days or overdue, soonest first,
    each with its deadline text. Empty for everyone else. One query (none for non-DPOs)."""
    if not subject_access_school_ids(user):
        return []
    day = today()
    return with_deadlines(
        requests_visible_to(user)
        .filter(status=RequestStatus.OPEN, due_on__lte=day + HOME_WINDOW)
        .select_related("school")
        .order_by("due_on", "id")[:HOME_LIMIT],
        day,
    )
