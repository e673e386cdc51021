"""Cases: opened, running and closed by reason, as they stand today, reviews, reintegration."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from cases.models import (
    MEDICAL_REASONS,
    OPEN_STATUSES,
    STARTED_STATUSES,
    Agreement,
    Case,
    CaseSettings,
    Party,
    Reason,
    ReintegrationStep,
    Review,
    Status,
)
from cases.models import Decision as ReviewDecision
from oversight.measures.scope import Scope, percent, period_moments, ran_during
from schools.models import SchoolDay

RUNNING = (Status.ACTIVE, Status.REINTEGRATING)
ATTENTION_ROWS = 40


@dataclass
class ReasonRow:
    reason: str
    label: str
    opened: int = 0
    running: int = 0
    closed: int = 0


def cases_by_reason(scope: Scope, start: datetime.date, end: datetime.date) -> list[ReasonRow]:
    """Cases opened, running and closed in the period, by reason: one query."""
    begins, ends = period_moments(start, end)
    rows = (
        Case.objects.filter(scope.pupils("pupil"))
        .values("reason")
        .annotate(
            opened=Count(
                "pk", filter=Q(start_date__range=(start, end), status__in=STARTED_STATUSES)
            ),
            running=Count("pk", filter=ran_during(start, end)),
            closed=Count(
                "pk", filter=Q(status=Status.CLOSED, closed_at__gte=begins, closed_at__lt=ends)
            ),
        )
        .order_by()
    )
    found = {row["reason"]: row for row in rows}
    result = []
    for reason in Reason:
        row = found.get(reason.value, {})
        result.append(
            ReasonRow(
                reason=reason.value,
                label=reason.label,
                opened=row.get("opened", 0),
                running=row.get("running", 0),
                closed=row.get("closed", 0),
            )
        )
    return result


@dataclass
class NowFigures:
    open_cases: int = 0
    proposed: int = 0
    reintegrating: int = 0
    agreements_missing: int = 0
    reviews_overdue: int = 0
    time_limit_near: int = 0
    time_limit_passed: int = 0
    near_until: datetime.date | None = None
    warning_school_days: int = 0


def _lacks(party: str) -> Exists:
    return ~Exists(Agreement.objects.filter(case_id=OuterRef("pk"), party=party))


def agreements_missing_q() -> Q:
    """A proposal lacking an agreement ``cases.services.required_parties`` asks for."""
    return Q(status=Status.PROPOSED) & (
        Q(_lacks(Party.SCHOOL))
        | Q(_lacks(Party.CARERS))
        | Q(_lacks(Party.PUPIL))
        | (
            Q(reason__in=sorted(MEDICAL_REASONS), medical_agreement_not_needed="")
            & Q(_lacks(Party.MEDICAL))
        )
        | (
            (Q(pupil__has_ehc_plan=True) | ~Q(pupil__social_worker_name=""))
            & Q(_lacks(Party.LOCAL_AUTHORITY))
        )
    )


def time_limit_warning(school_id: int, today: datetime.date) -> tuple[int, datetime.date]:
    """The school's "time limit near" window, in school days, and the date it reaches (two
    queries). Past the school calendar, the window ends at the calendar's last day."""
    warning = (
        CaseSettings.objects.filter(school_id=school_id)
        .values_list("time_limit_warning_school_days", flat=True)
        .first()
    )
    if warning is None:
        warning = CaseSettings._meta.get_field("time_limit_warning_school_days").get_default()
    days = list(
        SchoolDay.objects.filter(school_id=school_id, date__gt=today)
        .order_by("date")
        .values_list("date", flat=True)[:warning]
    )
    return warning, (days[-1] if days else today)


def now_figures(scope: Scope, today: datetime.date) -> NowFigures:
    """Open cases as they stand today: three queries."""
    warning, near_until = time_limit_warning(scope.school_id, today)
    running = Q(status__in=RUNNING)
    figures = Case.objects.filter(scope.pupils("pupil")).aggregate(
        open_cases=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        proposed=Count("pk", filter=Q(status=Status.PROPOSED)),
        reintegrating=Count("pk", filter=Q(status=Status.REINTEGRATING)),
        agreements_missing=Count("pk", filter=agreements_missing_q()),
        reviews_overdue=Count("pk", filter=running & Q(next_review_date__lt=today)),
        time_limit_near=Count(
            "pk", filter=running & Q(end_date__gt=today, end_date__lte=near_until)
        ),
        time_limit_passed=Count("pk", filter=running & Q(end_date__lte=today)),
    )
    return NowFigures(**figures, near_until=near_until, warning_school_days=warning)


def needing_attention(scope: Scope, today: datetime.date) -> list[Case]:
    """Running cases whose review is overdue or whose time limit has passed, most overdue
    first, for SLT (who may see these pupils): one query, at most ATTENTION_ROWS rows."""
    return list(
        Case.objects.filter(scope.pupils("pupil"), status__in=RUNNING)
        .filter(Q(next_review_date__lt=today) | Q(end_date__lte=today))
        .select_related("pupil__school_class")
        .only(
            "id",
            "status",
            "end_date",
            "next_review_date",
            "pupil__first_name",
            "pupil__preferred_name",
            "pupil__last_name",
            "pupil__school_class__name",
        )
        .order_by("next_review_date", "end_date", "id")[:ATTENTION_ROWS]
    )


@dataclass
class ReviewFigures:
    held: int = 0
    by_decision: list[tuple[str, int]] = field(default_factory=list)


def reviews_held(scope: Scope, start: datetime.date, end: datetime.date) -> ReviewFigures:
    rows = (
        Review.objects.filter(scope.pupils("case__pupil"), held_on__range=(start, end))
        .values("decision")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {row["decision"]: row["n"] for row in rows}
    return ReviewFigures(
        held=sum(found.values()),
        by_decision=[(decision.label, found.get(decision.value, 0)) for decision in ReviewDecision],
    )


@dataclass
class ReintegrationFigures:
    plans: int = 0
    steps: int = 0
    done: int = 0
    late: int = 0

    @property
    def percent_done(self) -> int | None:
        return percent(self.done, self.steps)


def reintegration(scope: Scope, start: datetime.date, end: datetime.date) -> ReintegrationFigures:
    """Plan steps of cases that ran in the period: done by the period's end, and late (their
    target date passed by then without being done). One query."""
    done = Q(done_on__isnull=False, done_on__lte=end)
    figures = ReintegrationStep.objects.filter(
        scope.pupils("plan__case__pupil"), ran_during(start, end, "plan__case__")
    ).aggregate(
        plans=Count("plan_id", distinct=True),
        steps=Count("pk"),
        done=Count("pk", filter=done),
        late=Count("pk", filter=Q(target_date__lt=end) & ~done),
    )
    return ReintegrationFigures(**figures)
