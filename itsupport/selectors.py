"""Reads shaped for the IT support pages and the overdue-returns check. Each list is one
query for its rows (plus a COUNT when paginated), whatever the number of rows."""

import datetime

from django.db.models import Count, QuerySet

from cases.models import PaperDelivery
from itsupport import permissions
from itsupport.models import (
    DeviceLoan,
    DeviceNeed,
    FamilyAssistance,
    RequestKind,
    SupportRequest,
    System,
)
from schools.models import Pupil


class RequestFilter:
    OPEN = "open"
    MINE = "mine"
    RESOLVED = "resolved"
    ALL = "all"
    CHOICES = [
        (OPEN, "Open"),
        (MINE, "Raised by me"),
        (RESOLVED, "Resolved"),
        (ALL, "All"),
    ]


def request_list_for(user: object, *, show: str = RequestFilter.OPEN) -> QuerySet[SupportRequest]:
    requests = permissions.requests_visible_to(user)
    if show == RequestFilter.OPEN:
        requests = requests.filter(resolved_at__isnull=True)
    elif show == RequestFilter.MINE:
        requests = requests.filter(raised_by_id=user.pk)
    elif show == RequestFilter.RESOLVED:
        requests = requests.filter(resolved_at__isnull=False)
    return (
        requests.select_related("raised_by", "raised_by_carer", "assigned_to", "pupil", "site")
        .annotate(note_count=Count("notes"))
        .order_by("resolved_at", "-raised_at", "-id")
    )


def demand_by_system(user: object, *, since: datetime.datetime) -> list[dict[str, object]]:
    """How many issues and how much help to families each system needed since ``since``, over
    the requests this person may read: one grouped query, so IT and SLT see the demand."""
    rows = (
        permissions.requests_visible_to(user)
        .filter(raised_at__gte=since)
        .values("system", "kind")
        .annotate(count=Count("id"))
        .order_by()
    )
    table: dict[str, dict[str, object]] = {}
    for row in rows:
        entry = table.setdefault(
            row["system"], {"system": System(row["system"]).label, "issues": 0, "help": 0}
        )
        entry["issues" if row["kind"] == RequestKind.ISSUE else "help"] += row["count"]
    return sorted(table.values(), key=lambda entry: -(entry["issues"] + entry["help"]))


def request_for_page(pk: int) -> SupportRequest | None:
    return (
        SupportRequest.objects.select_related(
            "school",
            "site",
            "raised_by",
            "raised_by_carer",
            "assigned_to",
            "resolved_by",
            "pupil__school_class",
        )
        .prefetch_related("notes__written_by")
        .filter(pk=pk)
        .first()
    )


class LoanFilter:
    OUT = "out"
    OVERDUE = "overdue"
    RETURNED = "returned"
    CHOICES = [(OUT, "Out on loan"), (OVERDUE, "Overdue for return"), (RETURNED, "Returned")]


def loan_list_for(user: object, *, show: str, today: datetime.date) -> QuerySet[DeviceLoan]:
    loans = permissions.loans_visible_to(user)
    if show == LoanFilter.OVERDUE:
        loans = overdue_loans(loans, today=today)
    elif show == LoanFilter.RETURNED:
        loans = loans.filter(returned_on__isnull=False).order_by("-returned_on", "-id")
    else:
        loans = loans.filter(returned_on__isnull=True).order_by("expected_back", "id")
    return loans.select_related("pupil__school_class__site", "lent_by", "returned_to")


def overdue_loans(loans: QuerySet[DeviceLoan], *, today: datetime.date) -> QuerySet[DeviceLoan]:
    """Loans still out after their return date (one statement; the check and the list share
    it)."""
    return loans.filter(returned_on__isnull=True, expected_back__lt=today).order_by(
        "expected_back", "id"
    )


class NeedFilter:
    OPEN = "open"
    MET = "met"
    CHOICES = [(OPEN, "Open"), (MET, "Met")]


def need_list_for(user: object, *, show: str) -> QuerySet[DeviceNeed]:
    needs = permissions.needs_visible_to(user)
    if show == NeedFilter.MET:
        needs = needs.filter(met_on__isnull=False).order_by("-met_on", "-id")
    else:
        needs = needs.filter(met_on__isnull=True).order_by("raised_at", "id")
    return needs.select_related("pupil__school_class__site", "raised_by", "met_by", "met_loan")


def open_loans_of(pupils: QuerySet[Pupil]) -> QuerySet[DeviceLoan]:
    return DeviceLoan.objects.filter(pupil__in=pupils, returned_on__isnull=True).select_related(
        "pupil"
    )


def latest_paper_delivery(pupil: Pupil) -> PaperDelivery | None:
    """The last paper copies the pupil's cases record as delivered (cases keeps them)."""
    return (
        PaperDelivery.objects.filter(case__pupil=pupil)
        .select_related("delivered_by")
        .order_by("-delivered_on", "-id")
        .first()
    )


def pupil_panel(pupil: Pupil) -> dict[str, object]:
    """What the pupil's record and case show about devices, connectivity and paper copies:
    four queries."""
    needs = list(
        DeviceNeed.objects.filter(pupil=pupil)
        .select_related("raised_by", "met_by", "met_loan")
        .order_by("met_on", "-raised_at", "-id")[:20]
    )
    loans = list(
        DeviceLoan.objects.filter(pupil=pupil)
        .select_related("lent_by")
        .order_by("returned_on", "-lent_on", "-id")[:20]
    )
    assistance = list(FamilyAssistance.objects.filter(pupil=pupil).select_related("given_by")[:5])
    latest_paper = latest_paper_delivery(pupil)
    return {
        "open_needs": [need for need in needs if need.is_open],
        "met_needs": [need for need in needs if not need.is_open][:5],
        "loans_out": [loan for loan in loans if loan.is_out],
        "loans_returned": [loan for loan in loans if not loan.is_out][:5],
        "assistance": assistance,
        "latest_paper": latest_paper,
        "needs_paper": any(need.need == "paper" for need in needs if need.is_open),
    }
