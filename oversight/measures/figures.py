"""The figures behind the SLT oversight report and the governors' summary.

Every figure is an aggregate query (``Count`` with filters, grouped by a small key such as a
reason, a class or a school day): the report costs the same fixed number of queries for ten
pupils as for a thousand, and nothing here holds one row per pupil in memory. The only
pupil-level rows are the SLT report's "needs attention" table, capped at
``ATTENTION_ROWS``.

Definitions (each also printed in the report, so readers know what a number means):

- A case *runs* on a day from its start date, while it is active or reintegrating, and for a
  closed case until the day before the pupil returned. A proposal waiting for agreements
  does not run.
- *Daily contact due*: one per running case per school day of the pupil's school in the
  period (``contacts.rules``: contacts are due on school days only, also past the time
  limit while the pupil is still at home). *Made*: at least one contact of any kind logged
  on that day (``ContactLog.contact_date``, the Europe/London date).
- *Weekly wellbeing check due*: one per case running on the first school day of each
  Monday-to-Sunday week in the period (a case starting later in a week is due from the next,
  as in ``contacts.rules``). *Made*: a wellbeing check logged in that week.
- "Now" figures (agreements missing, reviews overdue, time limits near or passed) are as at
  the day the report is made, since a case's dates move as it is reviewed.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from accounts.models import User
from cases.models import (
    MEDICAL_REASONS,
    Agreement,
    Case,
    CaseSettings,
    Flag,
    FlagKind,
    PaperDelivery,
    Party,
    Provision,
    Reason,
    ReintegrationStep,
    Review,
    Status,
)
from cases.models import Decision as ReviewDecision
from contacts.models import ContactKind, ContactLog
from core.suppression import suppressed, suppressed_share
from dataprotection.models import AccessEvent
from dataprotection.selectors import local_midnight
from safeguarding.models import (
    ChecklistItem,
    Concern,
    ConcernStatus,
    HomeVisit,
    SessionChecklistEntry,
    SessionKind,
    Urgency,
    VirtualSession,
)
from schools.models import Pupil, SchoolClass, SchoolDay, Site, Term

RUNNING = (Status.ACTIVE, Status.REINTEGRATING)
ATTENTION_ROWS = 40
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Scope:
    """What a report covers: a school, one of its sites, or one of its classes."""

    school_id: int
    site_id: int | None = None
    class_id: int | None = None

    def pupils(self, path: str) -> Q:
        """A filter keeping rows whose pupil (reached through ``path``) is in the scope."""
        q = Q(**{f"{path}__school_id": self.school_id})
        if self.class_id is not None:
            q &= Q(**{f"{path}__school_class_id": self.class_id})
        elif self.site_id is not None:
            q &= Q(**{f"{path}__school_class__site_id": self.site_id})
        return q


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _as_date(value: object) -> datetime.date:
    """Raw SQL gives SQLite's dates back as text and PostgreSQL's as dates."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _moments(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """The period as aware moments: from the first day's London midnight to the midnight
    after the last day (exclusive)."""
    return local_midnight(start), local_midnight(end + ONE_DAY)


def ran_during(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """Cases that ran on at least one day of the period."""
    return (
        ~Q(**{f"{prefix}status": Status.PROPOSED})
        & Q(**{f"{prefix}start_date__lte": end})
        & (
            ~Q(**{f"{prefix}status": Status.CLOSED})
            | Q(**{f"{prefix}actual_return_date__gt": start})
        )
    )


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


# --- Cases --------------------------------------------------------------------------------


@dataclass
class ReasonRow:
    reason: str
    label: str
    opened: int = 0
    running: int = 0
    closed: int = 0


def cases_by_reason(scope: Scope, start: datetime.date, end: datetime.date) -> list[ReasonRow]:
    """Cases opened, running and closed in the period, by reason: one query."""
    begins, ends = _moments(start, end)
    rows = (
        Case.objects.filter(scope.pupils("pupil"))
        .values("reason")
        .annotate(
            opened=Count(
                "pk", filter=Q(start_date__range=(start, end)) & ~Q(status=Status.PROPOSED)
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
        open_cases=Count("pk", filter=~Q(status=Status.CLOSED)),
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


# --- Contact with families ------------------------------------------------------------------

_SCOPE_SQL = {
    "school": "",
    "site": " AND k.site_id = %s",
    "class": " AND p.school_class_id = %s",
}

_DAILY_SQL = """
SELECT p.school_class_id, d.date, COUNT(*),
    SUM(CASE WHEN EXISTS (
        SELECT 1 FROM {contact} l WHERE l.case_id = c.id AND l.contact_date = d.date
    ) THEN 1 ELSE 0 END)
FROM {case} c
JOIN {pupil} p ON p.id = c.pupil_id
JOIN {school_class} k ON k.id = p.school_class_id
JOIN {school_day} d ON d.school_id = p.school_id
WHERE p.school_id = %s{scope} AND d.date >= %s AND d.date <= %s
    AND c.status <> %s AND d.date >= c.start_date
    AND (c.status <> %s OR d.date < c.actual_return_date)
GROUP BY p.school_class_id, d.date
"""

_WELLBEING_SQL = """
SELECT p.school_class_id, d.date, COUNT(*),
    SUM(CASE WHEN EXISTS (
        SELECT 1 FROM {contact} l WHERE l.case_id = c.id AND l.kind = %s
        AND l.contact_date >= {monday} AND l.contact_date <= {sunday}
    ) THEN 1 ELSE 0 END)
FROM {case} c
JOIN {pupil} p ON p.id = c.pupil_id
JOIN {school_class} k ON k.id = p.school_class_id
JOIN {school_day} d ON d.school_id = p.school_id
WHERE p.school_id = %s{scope} AND d.date IN ({anchors})
    AND c.status <> %s AND d.date >= c.start_date
    AND (c.status <> %s OR d.date < c.actual_return_date)
GROUP BY p.school_class_id, d.date
"""


def _tables() -> dict[str, str]:
    return {
        "contact": ContactLog._meta.db_table,
        "case": Case._meta.db_table,
        "pupil": Pupil._meta.db_table,
        "school_class": SchoolClass._meta.db_table,
        "school_day": SchoolDay._meta.db_table,
    }


def _scope_sql(scope: Scope) -> tuple[str, list]:
    if scope.class_id is not None:
        return _SCOPE_SQL["class"], [scope.class_id]
    if scope.site_id is not None:
        return _SCOPE_SQL["site"], [scope.site_id]
    return _SCOPE_SQL["school"], []


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _date(value: datetime.date) -> object:
    return connection.ops.adapt_datefield_value(value)


def school_days(school_id: int, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return list(
        SchoolDay.objects.filter(school_id=school_id, date__range=(start, end))
        .order_by("date")
        .values_list("date", flat=True)
    )


def week_anchors(days: list[datetime.date]) -> dict[datetime.date, datetime.date]:
    """The first school day of each Monday-to-Sunday week, mapped to that week's Monday."""
    anchors: dict[datetime.date, datetime.date] = {}
    seen: set[datetime.date] = set()
    for day in days:
        monday = week_start(day)
        if monday not in seen:
            seen.add(monday)
            anchors[day] = monday
    return anchors


def daily_contacts_by_class_and_day(
    scope: Scope, start: datetime.date, end: datetime.date
) -> list[tuple[int, datetime.date, int, int]]:
    """(class id, school day, contacts due, contacts made): one query, one row per class and
    school day whatever the number of pupils."""
    scope_sql, scope_params = _scope_sql(scope)
    sql = _DAILY_SQL.format(**_tables(), scope=scope_sql)
    params = [
        scope.school_id,
        *scope_params,
        _date(start),
        _date(end),
        Status.PROPOSED,
        Status.CLOSED,
    ]
    return [
        (class_id, _as_date(day), int(due), int(made or 0))
        for class_id, day, due, made in _fetch(sql, params)
    ]


def wellbeing_checks_by_class_and_week(
    scope: Scope, anchors: dict[datetime.date, datetime.date]
) -> list[tuple[int, datetime.date, int, int]]:
    """(class id, week's Monday, checks due, checks made): one query (none without school
    days), one row per class and week."""
    if not anchors:
        return []
    scope_sql, scope_params = _scope_sql(scope)
    cases = " ".join(["WHEN %s THEN %s"] * len(anchors))
    sql = _WELLBEING_SQL.format(
        **_tables(),
        scope=scope_sql,
        monday=f"(CASE d.date {cases} END)",
        sunday=f"(CASE d.date {cases} END)",
        anchors=", ".join(["%s"] * len(anchors)),
    )
    mondays = [value for day, monday in anchors.items() for value in (_date(day), _date(monday))]
    sundays = [
        value
        for day, monday in anchors.items()
        for value in (_date(day), _date(monday + datetime.timedelta(days=6)))
    ]
    params = [
        ContactKind.WELLBEING,
        *mondays,
        *sundays,
        scope.school_id,
        *scope_params,
        *[_date(day) for day in anchors],
        Status.PROPOSED,
        Status.CLOSED,
    ]
    return [
        (class_id, anchors[_as_date(day)], int(due), int(made or 0))
        for class_id, day, due, made in _fetch(sql, params)
    ]


@dataclass
class Compliance:
    """Contacts due and made, with the share made."""

    label: str
    due: int = 0
    made: int = 0
    checks_due: int = 0
    checks_made: int = 0

    @property
    def percent(self) -> int | None:
        return percent(self.made, self.due)

    @property
    def checks_percent(self) -> int | None:
        return percent(self.checks_made, self.checks_due)


@dataclass
class ContactFigures:
    school_days: int = 0
    total: Compliance = field(default_factory=lambda: Compliance("All"))
    by_class: list[Compliance] = field(default_factory=list)
    by_week: list[Compliance] = field(default_factory=list)


def scope_classes(scope: Scope) -> list[SchoolClass]:
    classes = SchoolClass.objects.filter(site__school_id=scope.school_id).select_related("site")
    if scope.class_id is not None:
        classes = classes.filter(pk=scope.class_id)
    elif scope.site_id is not None:
        classes = classes.filter(site_id=scope.site_id)
    return list(classes.order_by("site__name", "name"))


def contact_compliance(
    scope: Scope, start: datetime.date, end: datetime.date, classes: list[SchoolClass]
) -> ContactFigures:
    """Daily contacts and weekly wellbeing checks, due and made, by class and by week: three
    queries (school days, daily contacts, wellbeing checks)."""
    days = school_days(scope.school_id, start, end)
    anchors = week_anchors(days)
    daily = daily_contacts_by_class_and_day(scope, start, end)
    weekly = wellbeing_checks_by_class_and_week(scope, anchors)
    names = {
        school_class.pk: f"{school_class.name} ({school_class.site.name})"
        for school_class in classes
    }
    by_class: dict[int, Compliance] = {pk: Compliance(name) for pk, name in names.items()}
    by_week: dict[datetime.date, Compliance] = {
        monday: Compliance(f"Week of {monday:%d/%m/%Y}") for monday in anchors.values()
    }
    total = Compliance("All")
    for class_id, day, due, made in daily:
        for row in (
            by_class.setdefault(class_id, Compliance(f"Class {class_id}")),
            by_week.setdefault(week_start(day), Compliance(f"Week of {week_start(day):%d/%m/%Y}")),
            total,
        ):
            row.due += due
            row.made += made
    for class_id, monday, due, made in weekly:
        for row in (
            by_class.setdefault(class_id, Compliance(f"Class {class_id}")),
            by_week.setdefault(monday, Compliance(f"Week of {monday:%d/%m/%Y}")),
            total,
        ):
            row.checks_due += due
            row.checks_made += made
    return ContactFigures(
        school_days=len(days),
        total=total,
        by_class=list(by_class.values()),
        by_week=[by_week[monday] for monday in sorted(by_week)],
    )


@dataclass
class FlagRow:
    kind: str
    label: str
    raised: int = 0
    still_open: int = 0


def flags_raised(scope: Scope, start: datetime.date, end: datetime.date) -> list[FlagRow]:
    """Flags raised in the period by kind, and how many of them are still open: one query."""
    begins, ends = _moments(start, end)
    rows = (
        Flag.objects.filter(scope.pupils("case__pupil"), raised_at__gte=begins, raised_at__lt=ends)
        .values("kind")
        .annotate(raised=Count("pk"), still_open=Count("pk", filter=Q(resolved_at__isnull=True)))
        .order_by()
    )
    found = {row["kind"]: row for row in rows}
    return [
        FlagRow(
            kind=kind.value,
            label=kind.label,
            raised=found.get(kind.value, {}).get("raised", 0),
            still_open=found.get(kind.value, {}).get("still_open", 0),
        )
        for kind in FlagKind
    ]


@dataclass
class HomeVisitFigures:
    requested: int = 0
    agreed: int = 0
    visited: int = 0


def home_visits(scope: Scope, start: datetime.date, end: datetime.date) -> HomeVisitFigures:
    """Home visits asked for in the period (and how many SLT and the DSL both agreed), and
    visits made in the period: one query."""
    begins, ends = _moments(start, end)
    asked = Q(requested_at__gte=begins, requested_at__lt=ends)
    figures = HomeVisit.objects.filter(scope.pupils("case__pupil")).aggregate(
        requested=Count("pk", filter=asked),
        agreed=Count(
            "pk", filter=asked & Q(slt_agreed_at__isnull=False, dsl_agreed_at__isnull=False)
        ),
        visited=Count("pk", filter=Q(visited_on__range=(start, end))),
    )
    return HomeVisitFigures(**figures)


@dataclass
class ProvisionFigures:
    days: int = 0
    planning_sent: int = 0
    visual_timetable: int = 0
    resources_signposted: int = 0
    feedback: int = 0
    paper_deliveries: int = 0


def provision(scope: Scope, start: datetime.date, end: datetime.date) -> ProvisionFigures:
    """Days of provision recorded in the period, what was sent, and paper deliveries: two
    queries."""
    figures = Provision.objects.filter(
        scope.pupils("case__pupil"), date__range=(start, end)
    ).aggregate(
        days=Count("pk"),
        planning_sent=Count(
            "pk",
            filter=Q(sent_by_email=True) | Q(sent_as_work_pack=True) | Q(sent_to_platform=True),
        ),
        visual_timetable=Count("pk", filter=Q(visual_timetable_sent=True)),
        resources_signposted=Count("pk", filter=Q(resources_signposted=True)),
        feedback=Count("pk", filter=~Q(feedback="")),
    )
    figures["paper_deliveries"] = PaperDelivery.objects.filter(
        scope.pupils("case__pupil"), delivered_on__range=(start, end)
    ).count()
    return ProvisionFigures(**figures)


@dataclass
class SessionFigures:
    sessions: int = 0
    live: int = 0
    pre_recorded: int = 0
    stopped: int = 0
    with_gaps: int = 0
    without_checklist: int = 0
    gaps_by_item: list[tuple[str, int]] = field(default_factory=list)


def _sessions_in(scope: Scope, start: datetime.date, end: datetime.date) -> QuerySet:
    begins, ends = _moments(start, end)
    sessions = VirtualSession.objects.filter(
        school_id=scope.school_id, starts_at__gte=begins, starts_at__lt=ends
    )
    if scope.class_id is not None or scope.site_id is not None:
        in_scope = VirtualSession.pupils.through.objects.filter(scope.pupils("pupil")).values(
            "virtualsession_id"
        )
        sessions = sessions.filter(pk__in=in_scope)
    return sessions


def virtual_sessions(
    scope: Scope, start: datetime.date, end: datetime.date, now: datetime.datetime
) -> SessionFigures:
    """Sessions that started in the period (with a pupil in the scope): kinds, stopped,
    checklists with an item not done, past live sessions with no checklist, and the items
    most often missed. Two queries."""
    sessions = _sessions_in(scope, start, end)
    entries = SessionChecklistEntry.objects.filter(session_id=OuterRef("pk"))
    figures = sessions.aggregate(
        sessions=Count("pk"),
        live=Count("pk", filter=Q(kind=SessionKind.LIVE)),
        pre_recorded=Count("pk", filter=Q(kind=SessionKind.PRE_RECORDED)),
        stopped=Count("pk", filter=Q(stopped_at__isnull=False)),
        with_gaps=Count("pk", filter=Q(Exists(entries.filter(done=False)))),
        without_checklist=Count(
            "pk",
            filter=Q(kind=SessionKind.LIVE, starts_at__lt=now) & ~Q(Exists(entries)),
        ),
    )
    rows = (
        SessionChecklistEntry.objects.filter(done=False, session__in=sessions.values("pk"))
        .values("item")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {row["item"]: row["n"] for row in rows}
    figures["gaps_by_item"] = [(item.label, found.get(item.value, 0)) for item in ChecklistItem]
    return SessionFigures(**figures)


@dataclass
class ConcernFigures:
    total: int = 0
    # rows: (urgency label, [count per status], row total)
    rows: list[tuple[str, list[int], int]] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    status_totals: list[int] = field(default_factory=list)


def concerns(scope: Scope, start: datetime.date, end: datetime.date) -> ConcernFigures:
    """Safeguarding concerns raised in the period, by urgency and by status: counts only,
    never their text or who they are about. One query."""
    begins, ends = _moments(start, end)
    found = {
        (row["urgency"], row["status"]): row["n"]
        for row in Concern.objects.filter(
            scope.pupils("pupil"), raised_at__gte=begins, raised_at__lt=ends
        )
        .values("urgency", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = []
    for urgency in Urgency:
        counts = [found.get((urgency.value, status.value), 0) for status in ConcernStatus]
        rows.append((urgency.label, counts, sum(counts)))
    status_totals = [
        sum(found.get((urgency.value, status.value), 0) for urgency in Urgency)
        for status in ConcernStatus
    ]
    return ConcernFigures(
        total=sum(found.values()),
        rows=rows,
        statuses=[status.label for status in ConcernStatus],
        status_totals=status_totals,
    )


# --- The SLT report ---------------------------------------------------------------------------


@dataclass
class SltFigures:
    start: datetime.date
    end: datetime.date
    today: datetime.date
    reasons: list[ReasonRow]
    now: NowFigures
    attention: list[Case]
    reviews: ReviewFigures
    reintegration: ReintegrationFigures
    contacts: ContactFigures
    flags: list[FlagRow]
    home_visits: HomeVisitFigures
    provision: ProvisionFigures
    sessions: SessionFigures
    concerns: ConcernFigures

    @property
    def opened(self) -> int:
        return sum(row.opened for row in self.reasons)

    @property
    def running(self) -> int:
        return sum(row.running for row in self.reasons)

    @property
    def closed(self) -> int:
        return sum(row.closed for row in self.reasons)

    @property
    def not_responding(self) -> FlagRow:
        return next(row for row in self.flags if row.kind == FlagKind.FAMILY_NOT_RESPONDING)


def slt_figures(
    scope: Scope,
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date,
    now: datetime.datetime,
) -> SltFigures:
    """Every figure of the SLT report, in a fixed number of queries."""
    classes = scope_classes(scope)
    return SltFigures(
        start=start,
        end=end,
        today=today,
        reasons=cases_by_reason(scope, start, end),
        now=now_figures(scope, today),
        attention=needing_attention(scope, today),
        reviews=reviews_held(scope, start, end),
        reintegration=reintegration(scope, start, end),
        contacts=contact_compliance(scope, start, end, classes),
        flags=flags_raised(scope, start, end),
        home_visits=home_visits(scope, start, end),
        provision=provision(scope, start, end),
        sessions=virtual_sessions(scope, start, end, now),
        concerns=concerns(scope, start, end),
    )


# --- The governors' summary --------------------------------------------------------------------
# School and site level only, the last three terms, every count already passed through
# suppressed() or suppressed_share(): the template receives strings, never raw numbers, so
# no count below the threshold can reach a governor by accident.


@dataclass(frozen=True, slots=True)
class TermSpan:
    name: str
    first_day: datetime.date
    last_day: datetime.date  # the term's last day, or today for the term in progress

    def holds(self, day: datetime.date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass
class GovernorRow:
    label: str
    values: list[str]


@dataclass
class GovernorBlock:
    title: str
    rows: list[GovernorRow]


@dataclass
class GovernorFigures:
    terms: list[TermSpan]
    blocks: list[GovernorBlock]
    sessions: GovernorRow | None
    compliance_chart: list[tuple[str, list[tuple[str, int | None, str]]]]


def recent_terms(school_id: int, today: datetime.date, count: int = 3) -> list[TermSpan]:
    """The last ``count`` terms that have started, oldest first: one query."""
    terms = list(
        Term.objects.filter(school_id=school_id, first_day__lte=today).order_by("-first_day")[
            :count
        ]
    )
    return [
        TermSpan(term.name, term.first_day, min(term.last_day, today)) for term in reversed(terms)
    ]


def _per_term(prefix: str, terms: list[TermSpan], condition) -> dict[str, Count]:
    """``{prefix}{i}``: a Count for each term, ``condition(term)`` the Q that matches it."""
    return {f"{prefix}{i}": Count("pk", filter=condition(term)) for i, term in enumerate(terms)}


def _by_site(queryset: QuerySet, site_path: str, annotations: dict) -> dict[int, dict]:
    rows = queryset.values(site=F(site_path)).annotate(**annotations).order_by()
    return {row["site"]: row for row in rows}


def governor_figures(school_id: int, today: datetime.date) -> GovernorFigures:
    """Per-term figures for the school and each of its sites (no classes, no pupils), in a
    fixed number of queries."""
    terms = recent_terms(school_id, today)
    sites = list(Site.objects.filter(school_id=school_id).order_by("name"))
    scope = Scope(school_id)
    moments = [_moments(term.first_day, term.last_day) for term in terms]

    cases = _by_site(
        Case.objects.filter(scope.pupils("pupil")),
        "pupil__school_class__site_id",
        {
            **_per_term(
                "opened",
                terms,
                lambda t: (
                    Q(start_date__range=(t.first_day, t.last_day)) & ~Q(status=Status.PROPOSED)
                ),
            ),
            **_per_term("running", terms, lambda t: ran_during(t.first_day, t.last_day)),
        },
    )
    reviews = _by_site(
        Review.objects.filter(scope.pupils("case__pupil")),
        "case__pupil__school_class__site_id",
        _per_term("held", terms, lambda t: Q(held_on__range=(t.first_day, t.last_day))),
    )
    visits = _by_site(
        HomeVisit.objects.filter(scope.pupils("case__pupil")),
        "case__pupil__school_class__site_id",
        _per_term("visited", terms, lambda t: Q(visited_on__range=(t.first_day, t.last_day))),
    )
    flags = _by_site(
        Flag.objects.filter(scope.pupils("case__pupil"), kind=FlagKind.FAMILY_NOT_RESPONDING),
        "case__pupil__school_class__site_id",
        {
            f"silent{i}": Count("pk", filter=Q(raised_at__gte=begins, raised_at__lt=ends))
            for i, (begins, ends) in enumerate(moments)
        },
    )
    raised = _by_site(
        Concern.objects.filter(scope.pupils("pupil")),
        "pupil__school_class__site_id",
        {
            f"concerns{i}": Count("pk", filter=Q(raised_at__gte=begins, raised_at__lt=ends))
            for i, (begins, ends) in enumerate(moments)
        },
    )
    provided = _by_site(
        Provision.objects.filter(scope.pupils("case__pupil")),
        "case__pupil__school_class__site_id",
        _per_term("provision", terms, lambda t: Q(date__range=(t.first_day, t.last_day))),
    )

    # Contacts: one row per class and school day (or week) over the three terms.
    class_site = dict(
        SchoolClass.objects.filter(site__school_id=school_id).values_list("pk", "site_id")
    )
    due = defaultdict(int)  # (site id, term index, measure) -> count
    if terms:
        days = school_days(school_id, terms[0].first_day, terms[-1].last_day)
        anchors = week_anchors(days)
        for class_id, day, count_due, count_made in daily_contacts_by_class_and_day(
            scope, terms[0].first_day, terms[-1].last_day
        ):
            for i, term in enumerate(terms):
                if term.holds(day):
                    due[(class_site.get(class_id), i, "daily_due")] += count_due
                    due[(class_site.get(class_id), i, "daily_made")] += count_made
        anchor_of_monday = {monday: day for day, monday in anchors.items()}
        for class_id, monday, count_due, count_made in wellbeing_checks_by_class_and_week(
            scope, anchors
        ):
            day = anchor_of_monday[monday]
            for i, term in enumerate(terms):
                if term.holds(day):
                    due[(class_site.get(class_id), i, "checks_due")] += count_due
                    due[(class_site.get(class_id), i, "checks_made")] += count_made

    def count(source: dict[int, dict], site_ids: list[int], key: str) -> int:
        return sum(source.get(site_id, {}).get(key, 0) for site_id in site_ids)

    def contacts(site_ids: list[int], i: int, measure: str) -> int:
        return sum(due[(site_id, i, measure)] for site_id in site_ids)

    def block(title: str, site_ids: list[int]) -> GovernorBlock:
        indexes = range(len(terms))

        def counts(label: str, source: dict, key: str) -> GovernorRow:
            return GovernorRow(
                label, [suppressed(count(source, site_ids, f"{key}{i}")) for i in indexes]
            )

        def share(label: str, made: str, of: str) -> GovernorRow:
            return GovernorRow(
                label,
                [
                    suppressed_share(contacts(site_ids, i, made), contacts(site_ids, i, of))
                    for i in indexes
                ],
            )

        return GovernorBlock(
            title,
            [
                counts("Remote-education cases opened", cases, "opened"),
                counts("Cases running at some time in the term", cases, "running"),
                counts("Case reviews held", reviews, "held"),
                share("Daily contacts made, of those due", "daily_made", "daily_due"),
                share("Weekly wellbeing checks made, of those due", "checks_made", "checks_due"),
                counts("Days of provision recorded", provided, "provision"),
                counts("Families not responding (flags raised)", flags, "silent"),
                counts("Home visits made", visits, "visited"),
                counts("Safeguarding concerns raised", raised, "concerns"),
            ],
        )

    all_sites = [site.pk for site in sites]
    blocks = [block("Whole school", all_sites)]
    blocks += [block(f"Site: {site.name}", [site.pk]) for site in sites]

    sessions_row = None
    if terms:
        held = VirtualSession.objects.filter(school_id=school_id).aggregate(
            **{
                f"sessions{i}": Count("pk", filter=Q(starts_at__gte=begins, starts_at__lt=ends))
                for i, (begins, ends) in enumerate(moments)
            }
        )
        sessions_row = GovernorRow(
            "Virtual sessions held (whole school)",
            [suppressed(held[f"sessions{i}"]) for i in range(len(terms))],
        )

    # A bar per site and term for the share of daily contacts made, drawn only where the
    # share itself may be shown (suppressed_share would show it).
    chart = []
    for site in sites:
        bars = []
        for i, term in enumerate(terms):
            made = contacts([site.pk], i, "daily_made")
            of = contacts([site.pk], i, "daily_due")
            text = suppressed_share(made, of)
            shown = text.startswith("not shown") is False
            bars.append((term.name, percent(made, of) if shown else None, text))
        chart.append((site.name, bars))
    return GovernorFigures(
        terms=terms, blocks=blocks, sessions=sessions_row, compliance_chart=chart
    )


@dataclass
class SecurityFigures:
    staff_ids: list[int]
    with_mfa: int
    audit_events: int
    audit_since: datetime.date | None


def security_figures(school_id: int, since: datetime.date | None) -> SecurityFigures:
    """Staff (active users holding a membership at the school) with a second factor set up,
    and access events recorded since ``since`` about the school's pupils or by its staff.
    Three queries."""
    staff_ids = sorted(
        set(
            User.objects.filter(memberships__school_id=school_id, is_active=True).values_list(
                "pk", flat=True
            )
        )
    )
    with_mfa = (
        Authenticator.objects.filter(user_id__in=staff_ids, type=Authenticator.Type.TOTP)
        .values("user_id")
        .distinct()
        .count()
    )
    events = 0
    if since is not None:
        events = AccessEvent.objects.filter(
            Q(pupil_id__in=Pupil.objects.filter(school_id=school_id).values("pk"))
            | Q(pupil_id__isnull=True, user_id__in=staff_ids),
            occurred_at__gte=local_midnight(since),
        ).count()
    return SecurityFigures(
        staff_ids=staff_ids, with_mfa=with_mfa, audit_events=events, audit_since=since
    )
