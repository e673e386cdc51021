"""Contact with families: daily contacts and wellbeing checks due and made, flags, home
visits, provision, virtual sessions and safeguarding concerns."""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from cases.models import STARTED_STATUSES, Case, Flag, FlagKind, PaperDelivery, Provision, Status
from contacts.models import (
    ContactLog,
    ContactSettings,
    FamilyReport,
    daily_contact_made_sql,
    wellbeing_check_done_sql,
)
from oversight.measures.scope import Scope, percent, period_moments
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
from schools.models import Pupil, SchoolClass, SchoolDay

_SCOPE_SQL = {
    "school": "",
    "site": " AND k.site_id = %s",
    "class": " AND p.school_class_id = %s",
}

# A daily contact is made as contacts.models.daily_contact_made_sql defines it.
_DAILY_SQL = """
SELECT p.school_class_id, d.date, COUNT(*),
    SUM(CASE WHEN {contact_made} THEN 1 ELSE 0 END)
FROM {case} c
JOIN {pupil} p ON p.id = c.pupil_id
JOIN {school_class} k ON k.id = p.school_class_id
JOIN {school_day} d ON d.school_id = p.school_id
WHERE p.school_id = %s{scope} AND d.date >= %s AND d.date <= %s
    AND c.status IN (%s, %s, %s) AND d.date >= c.start_date
    AND (c.status <> %s OR d.date < c.actual_return_date)
GROUP BY p.school_class_id, d.date
""".replace("{contact_made}", daily_contact_made_sql("d.date"))

_WELLBEING_SQL = """
SELECT p.school_class_id, d.date, COUNT(*),
    SUM(CASE WHEN EXISTS (
        SELECT 1 FROM {contact} l WHERE l.case_id = c.id AND {check_done}
        AND l.contact_date >= {monday} AND l.contact_date <= {sunday}
    ) THEN 1 ELSE 0 END)
FROM {case} c
JOIN {pupil} p ON p.id = c.pupil_id
JOIN {school_class} k ON k.id = p.school_class_id
JOIN {school_day} d ON d.school_id = p.school_id
WHERE p.school_id = %s{scope} AND d.date IN ({anchors})
    AND c.status IN (%s, %s, %s) AND d.date >= c.start_date
    AND (c.status <> %s OR d.date < c.actual_return_date)
GROUP BY p.school_class_id, d.date
"""


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _as_date(value: object) -> datetime.date:
    """Raw SQL gives SQLite's dates back as text and PostgreSQL's as dates."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _tables() -> dict[str, str]:
    return {
        "contact": ContactLog._meta.db_table,
        "family_report": FamilyReport._meta.db_table,
        "contact_settings": ContactSettings._meta.db_table,
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
        *STARTED_STATUSES,
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
    days), one row per class and week. A check is made when someone spoke with the pupil or a
    carer (contacts.models.WELLBEING_CHECK_DONE)."""
    if not anchors:
        return []
    scope_sql, scope_params = _scope_sql(scope)
    cases = " ".join(["WHEN %s THEN %s"] * len(anchors))
    check_done, check_params = wellbeing_check_done_sql("l")
    sql = _WELLBEING_SQL.format(
        **_tables(),
        check_done=check_done,
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
        *check_params,
        *mondays,
        *sundays,
        scope.school_id,
        *scope_params,
        *[_date(day) for day in anchors],
        *STARTED_STATUSES,
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
    begins, ends = period_moments(start, end)
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
    begins, ends = period_moments(start, end)
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
    begins, ends = period_moments(start, end)
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
    begins, ends = period_moments(start, end)
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
