"""Reads for the closure pages and today's provision, each a fixed number of queries."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from cases.closures.permissions import (
    closure_cases_visible_to,
    in_some_closure,
    provision_pupils_for,
)
from cases.models import (
    OPEN_STATUSES,
    Case,
    Closure,
    ClosureCheck,
    InternetAccess,
    Provision,
    Status,
    Wellbeing,
)
from cases.permissions import CASE_WORK_ROLES
from schools.models import SchoolClass, SchoolDay
from schools.permissions import memberships_of

CLOSURES_LISTED = 50
NEEDS_PAPER = (InternetAccess.PAPER, InternetAccess.BOTH)
# Which closures a pupil's own case joined (it goes on, and notes the closure).
JOINED = Closure.joined_cases.through


def in_closure(closure: Closure) -> Q:
    """The cases of a closure: those it opened and the pupils' own cases that joined it."""
    return Q(closure=closure) | Q(pk__in=JOINED.objects.filter(closure=closure).values("case_id"))


# --- Closures and their classes --------------------------------------------------------------


@dataclass
class ClosureClass:
    school_class_id: int
    name: str
    site_name: str
    pupils: int
    still_open: int


@dataclass
class ClosureEntry:
    closure: Closure
    classes: list[ClosureClass] = field(default_factory=list)


def closures_for_list(user: object) -> list[ClosureEntry]:
    """The latest closures touching pupils this person may read, with their classes.

    Three queries: the closures, then the counts per closure and class of the cases each
    opened and of the pupils' own cases that joined it.
    """
    visible = closure_cases_visible_to(user)
    closures = list(
        Closure.objects.filter(
            Q(pk__in=visible.values("closure_id"))
            | Q(pk__in=JOINED.objects.filter(case__in=visible).values("closure_id"))
        )
        .select_related("site", "school_class__site")
        .order_by("-start_date", "-id")[:CLOSURES_LISTED]
    )
    if not closures:
        return []
    entries = {closure.pk: ClosureEntry(closure) for closure in closures}
    opened = (
        visible.filter(closure_id__in=list(entries))
        .values(
            "closure_id",
            class_id=F("pupil__school_class_id"),
            class_name=F("pupil__school_class__name"),
            site_name=F("pupil__school_class__site__name"),
        )
        .annotate(pupils=Count("id"), still_open=Count("id", filter=Q(status__in=OPEN_STATUSES)))
    )
    joined = (
        JOINED.objects.filter(closure_id__in=list(entries), case__in=visible)
        .values(
            "closure_id",
            class_id=F("case__pupil__school_class_id"),
            class_name=F("case__pupil__school_class__name"),
            site_name=F("case__pupil__school_class__site__name"),
        )
        .annotate(
            pupils=Count("id"), still_open=Count("id", filter=Q(case__status__in=OPEN_STATUSES))
        )
    )
    classes: dict[tuple[int, int], ClosureClass] = {}
    for row in [*opened, *joined]:
        key = (row["closure_id"], row["class_id"])
        if key not in classes:
            classes[key] = ClosureClass(
                school_class_id=row["class_id"],
                name=row["class_name"],
                site_name=row["site_name"],
                pupils=0,
                still_open=0,
            )
        classes[key].pupils += row["pupils"]
        classes[key].still_open += row["still_open"]
    for (closure_id, _), school_class in sorted(
        classes.items(), key=lambda item: (item[1].site_name, item[1].name)
    ):
        entries[closure_id].classes.append(school_class)
    return list(entries.values())


def closures_in_force(user: object, day: datetime.date) -> list[ClosureEntry]:
    """The closures of the list (``closures_for_list``) running on ``day``, with their classes:
    the same three queries."""
    return [
        entry
        for entry in closures_for_list(user)
        if entry.closure.start_date <= day <= entry.closure.end_date
    ]


def closure_for_overview(pk: int) -> Closure | None:
    return Closure.objects.select_related("site", "school_class__site").filter(pk=pk).first()


def school_class_for_overview(pk: int) -> SchoolClass | None:
    return SchoolClass.objects.select_related("site__school").filter(pk=pk).first()


@dataclass
class OverviewRow:
    case: Case
    check: ClosureCheck | None
    last_delivery: datetime.date | None
    deliveries: int

    @property
    def wellbeing(self) -> str:
        return self.check.wellbeing if self.check else Wellbeing.NOT_REACHED

    @property
    def internet_access(self) -> str:
        return self.check.internet_access if self.check else InternetAccess.UNKNOWN

    @property
    def needs_paper(self) -> bool:
        return self.internet_access in NEEDS_PAPER

    @property
    def wellbeing_label(self) -> str:
        return Wellbeing(self.wellbeing).label

    @property
    def internet_access_label(self) -> str:
        return InternetAccess(self.internet_access).label


def _overview_cases(closure: Closure, school_class: SchoolClass) -> QuerySet[Case]:
    return (
        Case.objects.filter(in_closure(closure), pupil__school_class=school_class)
        .select_related("pupil", "closure_check")
        .annotate(
            last_delivery=Max("paper_deliveries__delivered_on"),
            delivery_count=Count("paper_deliveries"),
        )
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
    )


def _row(case: Case) -> OverviewRow:
    try:
        check = case.closure_check
    except ClosureCheck.DoesNotExist:
        check = None
    return OverviewRow(case, check, case.last_delivery, case.delivery_count)


def closure_overview_rows(closure: Closure, school_class: SchoolClass) -> list[OverviewRow]:
    """Every pupil of this class in this closure, with their check and paper deliveries.

    One query, however many pupils.
    """
    return [_row(case) for case in _overview_cases(closure, school_class)]


def closure_overview_row(case_pk: int) -> OverviewRow | None:
    case = (
        Case.objects.filter(in_some_closure(), pk=case_pk)
        .select_related("pupil", "closure_check")
        .annotate(
            last_delivery=Max("paper_deliveries__delivered_on"),
            delivery_count=Count("paper_deliveries"),
        )
        .first()
    )
    return _row(case) if case is not None else None


def case_for_closure_work(pk: int) -> Case | None:
    """A closure case with what its gates and services need, and ``overview_closure``: the
    closure whose overview it is on (for a pupil's own case, the latest closure it joined)."""
    case = (
        Case.objects.filter(in_some_closure(), pk=pk)
        .select_related("pupil__school_class__site", "pupil__school", "closure")
        .annotate(
            joined_closure_id=Subquery(
                JOINED.objects.filter(case_id=OuterRef("pk"))
                .order_by("-closure__start_date", "-closure_id")
                .values("closure_id")[:1]
            )
        )
        .first()
    )
    if case is not None:
        case.overview_closure = case.closure or Closure.objects.get(pk=case.joined_closure_id)
    return case


@dataclass
class OverviewCounts:
    pupils: int
    wellbeing: list[tuple[str, str, int]]
    internet_access: list[tuple[str, str, int]]
    needs_paper: int


def overview_counts(rows: list[OverviewRow]) -> OverviewCounts:
    """Counts for the top of the overview, from rows already fetched (no query)."""
    open_rows = [row for row in rows if row.case.is_open]
    wellbeing = Counter(row.wellbeing for row in open_rows)
    internet = Counter(row.internet_access for row in open_rows)
    return OverviewCounts(
        pupils=len(open_rows),
        wellbeing=[(value, label, wellbeing[value]) for value, label in Wellbeing.choices],
        internet_access=[
            (value, label, internet[value]) for value, label in InternetAccess.choices
        ],
        needs_paper=sum(1 for row in open_rows if row.needs_paper),
    )


# --- Provision today -------------------------------------------------------------------------


@dataclass
class ProvisionRow:
    case: Case
    provision: Provision | None
    school_day: bool
    day: datetime.date

    @property
    def time_limit_passed(self) -> bool:
        return self.case.end_date < self.day

    @property
    def can_record(self) -> bool:
        return self.provision is None and self.school_day and not self.time_limit_passed


def provision_today_rows(user: object, day: datetime.date) -> tuple[list[ProvisionRow], bool]:
    """Pupils with an active or reintegrating case running on ``day`` whom this person works
    with, each with the day's provision if recorded; and whether ``day`` is a school day at
    any of the schools where they work on cases.

    Three queries, however many pupils: the cases, the day's provisions, the school days
    (the memberships are already cached on the user).
    """
    cases = list(
        Case.objects.filter(
            pupil__in=provision_pupils_for(user),
            status__in=(Status.ACTIVE, Status.REINTEGRATING),
            start_date__lte=day,
        )
        .select_related("pupil__school_class__site")
        .prefetch_related(
            Prefetch(
                "provisions",
                queryset=Provision.objects.filter(date=day),
                to_attr="provisions_on_day",
            )
        )
        .order_by(
            "pupil__school_class__site__name",
            "pupil__school_class__name",
            "pupil__last_name",
            "pupil__first_name",
            "pk",
        )
    )
    school_ids = {m.school_id for m in memberships_of(user) if m.role in CASE_WORK_ROLES}
    school_days = set(
        SchoolDay.objects.filter(school_id__in=school_ids, date=day).values_list(
            "school_id", flat=True
        )
    )
    rows = [
        ProvisionRow(
            case=case,
            provision=case.provisions_on_day[0] if case.provisions_on_day else None,
            school_day=case.pupil.school_id in school_days,
            day=day,
        )
        for case in cases
    ]
    return rows, bool(school_days)


def provision_row(case_pk: int, day: datetime.date) -> ProvisionRow | None:
    case = (
        Case.objects.filter(pk=case_pk)
        .select_related("pupil__school_class__site", "pupil__school")
        .prefetch_related(
            Prefetch(
                "provisions",
                queryset=Provision.objects.filter(date=day),
                to_attr="provisions_on_day",
            )
        )
        .first()
    )
    if case is None:
        return None
    school_day = SchoolDay.objects.filter(school_id=case.pupil.school_id, date=day).exists()
    return ProvisionRow(
        case=case,
        provision=case.provisions_on_day[0] if case.provisions_on_day else None,
        school_day=school_day,
        day=day,
    )
