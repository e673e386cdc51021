"""Reads for governance pages, reports and jobs. Who may call them is decided in
governance.permissions; these functions shape data and never check access themselves.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse

from governance.models import (
    Coping,
    FollowUp,
    MonitoringActivity,
    PolicyDocument,
    PolicyStatus,
    PolicyVersion,
    PulseResponse,
    Workload,
)
from schools.calendar import today
from schools.models import Role
from schools.permissions import memberships_of

WEEK = datetime.timedelta(days=7)


def _follow_ups() -> Prefetch:
    return Prefetch(
        "follow_ups",
        queryset=FollowUp.objects.select_related("owner", "done_by").order_by("due_on", "id"),
    )


def monitoring_for_report(
    *, school_id: int, site_id: int | None, start: datetime.date, end: datetime.date
) -> list[MonitoringActivity]:
    """Monitoring activities held from ``start`` to ``end`` (both included) at the school.

    With ``site_id``: those for that site, for one of its classes, or for the whole school.
    Each comes with its follow-ups (owner and who marked it done) and corrections; three
    queries whatever the number of activities.
    """
    activities = MonitoringActivity.objects.filter(school_id=school_id, held_on__range=(start, end))
    if site_id is not None:
        activities = activities.filter(
            Q(site_id=site_id)
            | Q(school_class__site_id=site_id)
            | Q(site__isnull=True, school_class__isnull=True)
        )
    return list(
        activities.select_related("site", "school_class", "recorded_by")
        .prefetch_related(_follow_ups(), "corrections__added_by")
        .order_by("held_on", "id")
    )


def monitoring_list(activities: QuerySet[MonitoringActivity]) -> QuerySet[MonitoringActivity]:
    """A page's worth of activities with what the list shows, in a fixed number of queries."""
    return activities.select_related("site", "school_class", "school").annotate(
        follow_up_count=Count("follow_ups", distinct=True),
        open_follow_up_count=Count(
            "follow_ups", filter=Q(follow_ups__done_on__isnull=True), distinct=True
        ),
    )


def monitoring_detail(activity_id: int) -> MonitoringActivity:
    return (
        MonitoringActivity.objects.select_related("school", "site", "school_class", "recorded_by")
        .prefetch_related(_follow_ups(), "corrections__added_by")
        .get(pk=activity_id)
    )


def _overlapping_weeks(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """Answers are kept by week (its Monday): a week counts when any of its days is in the
    period, so the first week may start up to six days before ``start``."""
    return start - datetime.timedelta(days=6), end


def wellbeing_pulse_counts(
    *, school_id: int, start: datetime.date, end: datetime.date
) -> dict[str, int]:
    """How many pulse answers gave each answer on the coping scale, in scale order, every label
    present (0 included), for the weeks that overlap ``start`` to ``end``.

    Raw counts: the caller applies small-number suppression.
    """
    first, last = _overlapping_weeks(start, end)
    found = dict(
        PulseResponse.objects.filter(school_id=school_id, week_start__range=(first, last))
        .values("coping")
        .annotate(n=Count("pk"))
        .values_list("coping", "n")
    )
    return {choice.label: found.get(choice.value, 0) for choice in Coping}


def wellbeing_workload_counts(
    *, school_id: int, start: datetime.date, end: datetime.date
) -> dict[str, int]:
    """Like ``wellbeing_pulse_counts`` for the optional workload answer (unanswered left out)."""
    first, last = _overlapping_weeks(start, end)
    found = dict(
        PulseResponse.objects.filter(school_id=school_id, week_start__range=(first, last))
        .exclude(workload="")
        .values("workload")
        .annotate(n=Count("pk"))
        .values_list("workload", "n")
    )
    return {choice.label: found.get(choice.value, 0) for choice in Workload}


def wellbeing_weekly_rows(
    *, school_id: int, start: datetime.date, end: datetime.date
) -> list[dict[str, object]]:
    """One row per week with any answers, newest first: ``week_start``, ``total``, ``coping``
    (label → count in scale order) and ``workload`` (label → count). Two queries at most."""
    first, last = _overlapping_weeks(start, end)
    rows = (
        PulseResponse.objects.filter(school_id=school_id, week_start__range=(first, last))
        .values("week_start", "coping", "workload")
        .annotate(n=Count("pk"))
        .order_by()
    )
    weeks: dict[datetime.date, dict[str, object]] = {}
    for row in rows:
        week = weeks.setdefault(
            row["week_start"],
            {
                "week_start": row["week_start"],
                "total": 0,
                "coping": {c.label: 0 for c in Coping},
                "workload": {w.label: 0 for w in Workload},
            },
        )
        week["total"] += row["n"]
        week["coping"][Coping(row["coping"]).label] += row["n"]
        if row["workload"]:
            week["workload"][Workload(row["workload"]).label] += row["n"]
    return [weeks[key] for key in sorted(weeks, reverse=True)]


def current_version(document: PolicyDocument) -> PolicyVersion | None:
    """The version in force: the most recently approved."""
    return (
        document.versions.filter(status=PolicyStatus.APPROVED)
        .order_by("-approved_at", "-id")
        .first()
    )


def current_versions() -> QuerySet[PolicyVersion]:
    """Each document's version in force, as one queryset (for jobs and home-page notices)."""
    newest_approved = (
        PolicyVersion.objects.filter(document=OuterRef("document"), status=PolicyStatus.APPROVED)
        .order_by("-approved_at", "-id")
        .values("pk")[:1]
    )
    return PolicyVersion.objects.filter(status=PolicyStatus.APPROVED, pk=Subquery(newest_approved))


DUE_SOON_DAYS = 30


@dataclass(frozen=True, slots=True)
class PolicyReviewDue:
    """A policy in force whose review is due within 30 days, or overdue."""

    document_id: int
    title: str
    next_review_on: datetime.date
    overdue: bool

    @property
    def url(self) -> str:
        return reverse("governance:policy_detail", args=[self.document_id])

    @property
    def message(self) -> str:
        if self.overdue:
            return f"{self.title}: review overdue (was due on {self.next_review_on:%d/%m/%Y})"
        return f"{self.title}: policy review due on {self.next_review_on:%d/%m/%Y}"


def policy_reviews_due_for(user: object) -> list[PolicyReviewDue]:
    """For the home page: the headteacher's and the chair's policies due for review within 30
    days or overdue, soonest first. Nothing for anyone else. One query."""
    school_ids = {
        m.school_id
        for m in memberships_of(user)
        if m.role in (Role.HEADTEACHER, Role.CHAIR_OF_GOVERNORS)
    }
    if not school_ids:
        return []
    on = today()
    rows = (
        current_versions()
        .filter(
            document__school_id__in=school_ids,
            next_review_on__lte=on + datetime.timedelta(days=DUE_SOON_DAYS),
        )
        .order_by("next_review_on", "document__title")
        .values_list("document_id", "document__title", "next_review_on")
    )
    return [
        PolicyReviewDue(document_id=doc, title=title, next_review_on=due, overdue=due < on)
        for doc, title, due in rows
    ]
