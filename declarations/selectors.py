"""Reading device security declarations (policy sections 5.1 and 5.3): where a person
stands, a page of people's statuses, governors' coverage figure and the open IT tasks."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from declarations.models import DeclarationDue, DeclarationIssue, DeviceDeclaration, IssueStatus


def declaration_valid_days() -> int:
    return settings.DEVICE_DECLARATION_VALID_DAYS


def declaration_grace_days() -> int:
    return settings.DEVICE_DECLARATION_GRACE_DAYS


def _valid_from(at: datetime.datetime) -> datetime.datetime:
    """Declarations made after this moment are current at ``at``."""
    return at - datetime.timedelta(days=declaration_valid_days())


class DeclarationStatus(models.TextChoices):
    CURRENT = "current", "Current"
    DUE = "due", "Due"
    OVERDUE = "overdue", "Overdue"


@dataclass(frozen=True, slots=True)
class DeclarationState:
    """Where one person stands: their latest declaration and, without a current one, since
    when it has been due and when the grace period ends."""

    latest: DeviceDeclaration | None
    status: DeclarationStatus
    due_since: datetime.datetime | None = None
    grace_ends: datetime.datetime | None = None
    # Current, but an item of it was not confirmed and IT has not yet resolved it.
    waiting_for_it: bool = False

    @property
    def current(self) -> bool:
        return self.status == DeclarationStatus.CURRENT

    @property
    def overdue(self) -> bool:
        return self.status == DeclarationStatus.OVERDUE


def with_waiting_for_it(declarations: QuerySet[DeviceDeclaration]) -> QuerySet:
    """Annotate ``waiting``: an item of the declaration was not confirmed and the IT task it
    raised is still open. The one definition of "waiting for IT", for the compliance page and
    the governors' coverage figure alike."""
    return declarations.annotate(
        waiting=Exists(
            DeclarationIssue.objects.filter(declaration=OuterRef("pk"), status=IssueStatus.OPEN)
        )
    )


def declaration_state_from(
    *,
    latest_at: datetime.datetime | None,
    first_seen_at: datetime.datetime | None,
    at: datetime.datetime,
    latest: DeviceDeclaration | None = None,
    latest_waiting: bool = False,
) -> DeclarationState:
    """The rule, on values already fetched (so a page of many people costs no more queries).

    A declaration is current for DEVICE_DECLARATION_VALID_DAYS. Without one, it has been due
    since the last one expired, or since the person was first seen without one; after
    DEVICE_DECLARATION_GRACE_DAYS of that it is overdue. A first-seen moment in the future
    (clocks put back) counts as now. A current declaration whose latest is ``latest_waiting``
    waits for IT; it still lets the person in.
    """
    if latest_at is not None and latest_at > _valid_from(at):
        return DeclarationState(
            latest=latest, status=DeclarationStatus.CURRENT, waiting_for_it=latest_waiting
        )
    candidates = [moment for moment in (first_seen_at,) if moment is not None]
    if latest_at is not None:
        candidates.append(latest_at + datetime.timedelta(days=declaration_valid_days()))
    due_since = min(max(candidates), at) if candidates else at
    grace_ends = due_since + datetime.timedelta(days=declaration_grace_days())
    status = DeclarationStatus.OVERDUE if at >= grace_ends else DeclarationStatus.DUE
    return DeclarationState(
        latest=latest, status=status, due_since=due_since, grace_ends=grace_ends
    )


def latest_declaration(*, user_id: int) -> DeviceDeclaration | None:
    return DeviceDeclaration.objects.filter(user_id=user_id).order_by("-declared_at", "-id").first()


def declaration_statuses(
    *, user_ids: list[int], at: datetime.datetime | None = None
) -> dict[int, dict[str, object]]:
    """For each person: their DeclarationState, latest device and open issue count.

    Three queries, however many people.
    """
    at = at or timezone.now()
    ids = list(set(user_ids))
    # Declarations are yearly, so a person has few: take each one's newest in Python.
    latest: dict[int, DeviceDeclaration] = {}
    for declaration in with_waiting_for_it(
        DeviceDeclaration.objects.filter(user_id__in=ids)
    ).order_by("user_id", "-declared_at", "-id"):
        latest.setdefault(declaration.user_id, declaration)
    first_seen = dict(
        DeclarationDue.objects.filter(user_id__in=ids).values_list("user_id", "first_seen_at")
    )
    open_issues = dict(
        DeclarationIssue.objects.filter(user_id__in=ids, status=IssueStatus.OPEN)
        .values("user_id")
        .annotate(count=Count("id"))
        .values_list("user_id", "count")
    )
    result: dict[int, dict[str, object]] = {}
    for user_id in ids:
        declaration = latest.get(user_id)
        result[user_id] = {
            "state": declaration_state_from(
                latest_at=declaration.declared_at if declaration is not None else None,
                first_seen_at=first_seen.get(user_id),
                at=at,
                latest=declaration,
                latest_waiting=declaration is not None and declaration.waiting,
            ),
            "open_issues": open_issues.get(user_id, 0),
            # Not yet signed in since declarations began: the grace period has not started.
            "not_yet_seen": declaration is None and user_id not in first_seen,
        }
    return result


@dataclass(frozen=True, slots=True)
class DeclarationCoverage:
    """How many of a group of staff are compliant, how many declared but wait for IT, of how
    many people."""

    compliant: int
    waiting_for_it: int
    staff: int


def declaration_coverage(
    *, user_ids: Iterable[int], at: datetime.datetime | None = None
) -> DeclarationCoverage:
    """Each person's latest current declaration at ``at``: compliant when every item was
    confirmed or IT has resolved what was not; waiting for IT while a task it raised is open.
    Someone whose newer declaration confirms everything is compliant, whatever an older one
    left open.

    For governors' figures: counts only, no one named. One query.
    """
    ids = set(user_ids)
    if not ids:
        return DeclarationCoverage(0, 0, 0)
    at = at or timezone.now()
    rows = (
        with_waiting_for_it(
            DeviceDeclaration.objects.filter(
                user_id__in=ids, declared_at__gt=_valid_from(at), declared_at__lte=at
            )
        )
        .order_by("user_id", "-declared_at", "-id")
        .values_list("user_id", "waiting")
    )
    latest: dict[int, bool] = {}
    for user_id, waiting in rows:
        latest.setdefault(user_id, waiting)
    waiting = sum(latest.values())
    return DeclarationCoverage(
        compliant=len(latest) - waiting, waiting_for_it=waiting, staff=len(ids)
    )


def open_declaration_issues(*, user_ids: QuerySet | list[int]) -> QuerySet[DeclarationIssue]:
    """Open IT tasks from declarations of these people, oldest first."""
    return (
        DeclarationIssue.objects.filter(user_id__in=user_ids, status=IssueStatus.OPEN)
        .select_related("user", "declaration")
        .order_by("raised_at", "id")
    )
