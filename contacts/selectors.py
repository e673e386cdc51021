"""Reads for the contact pages: today's contacts due, one pupil's row, and a case's history.

Every page costs a fixed number of queries, however many pupils or past contacts there are:
the numbers are annotated in SQL, and related rows come in one query each.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from cases.models import Case
from cases.permissions import can_work_on_case
from contacts.models import (
    DAY_NAMES,
    WELLBEING_CHECK_DONE,
    ContactKind,
    ContactLog,
    ContactPlan,
    ContactPlanVersion,
    CoverAssignment,
    FamilyReport,
    daily_contact_made,
    weekday_numbers,
)
from contacts.permissions import (
    CONTACTABLE_STATUSES,
    carer_contacts_shown,
    cases_for_today,
    leads_classes,
)
from schools.models import Carer, CarerLink, Membership, Role, SchoolDay
from schools.permissions import memberships_of, pupils_visible_to
from schools.selectors import prefetch_carers


def week_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Friday of the school week that holds ``day``."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=4)


def extra_calls_on(plan: ContactPlan | None, day: datetime.date) -> int:
    """Telephone calls beyond the daily contact the DSL team decided for ``day``."""
    if plan is None or not plan.extra_calls_per_day:
        return 0
    weekdays = weekday_numbers(plan.extra_call_weekdays)
    if weekdays and day.weekday() not in weekdays:
        return 0
    return plan.extra_calls_per_day


# Higher apps mark Today's rows with what they know of a pupil (safeguarding: the family's
# session ground rules agreed this term). Each marker takes the rows' pupil ids and the day and
# returns {pupil id: short text}, in one query for all the rows; it is registered from the
# higher app's AppConfig.ready(), so this app never imports it.
TodayMarker = Callable[[list[int], datetime.date], dict[int, str]]
_today_markers: list[TodayMarker] = []


def mark_today_rows_with(marker: TodayMarker) -> None:
    if marker not in _today_markers:
        _today_markers.append(marker)


@dataclass
class TodayRow:
    case: Case
    day: datetime.date
    school_day: bool
    contacts_today: int
    wellbeing_done: bool
    last_contact: ContactLog | None
    carer_link: CarerLink | None
    other_carers: int
    show_carer_contacts: bool
    plan: ContactPlan | None
    cover: CoverAssignment | None = None
    form: object = None
    markers: list[str] = field(default_factory=list)
    # The daily contact is made (contacts.models.daily_contact_made): a contact logged today,
    # or the family's own report where the school counts it.
    contact_made: bool = False
    # What the family reported through the carers' portal about today.
    family_reports: list[FamilyReport] = field(default_factory=list)

    @property
    def extra_calls(self) -> int:
        return extra_calls_on(self.plan, self.day) if self.school_day else 0

    @property
    def due(self) -> int:
        """Contacts due today: the daily contact plus any extra calls (school days only)."""
        return (1 + self.extra_calls) if self.school_day else 0

    @property
    def wellbeing_due(self) -> bool:
        return self.school_day and not self.wellbeing_done

    @property
    def contacted(self) -> bool:
        return self.contact_made

    @property
    def loggable(self) -> bool:
        return self.case.status in CONTACTABLE_STATUSES

    @property
    def behind(self) -> bool:
        """Fewer contacts than due. When the family's report made the daily contact, what
        staff still owe are the extra calls alone."""
        if not self.contact_made:
            return self.due > 0
        return self.contacts_today < (self.due if self.contacts_today else self.extra_calls)

    @property
    def last_contact_today(self) -> bool:
        return self.last_contact is not None and self.last_contact.contact_date == self.day

    @property
    def carer(self) -> Carer | None:
        """The first carer to contact."""
        return self.carer_link.carer if self.carer_link is not None else None

    @property
    def preferred_channel(self) -> str:
        return self.carer.preferred_channel if self.carer is not None else ""

    @property
    def suggested_kind(self) -> str:
        return ContactKind.WELLBEING if self.wellbeing_due else ContactKind.DAILY


@dataclass
class BehindCount:
    label: str
    pupils: int = 0
    not_contacted: int = 0


@dataclass
class TodayPage:
    day: datetime.date
    rows: list[TodayRow]
    school_day: bool
    leads: bool
    by_class: list[BehindCount] = field(default_factory=list)
    by_teacher: list[BehindCount] = field(default_factory=list)

    @property
    def contacted(self) -> int:
        return sum(1 for row in self.rows if row.contacted)

    @property
    def not_contacted(self) -> int:
        return len(self.rows) - self.contacted


def _annotated(cases, day: datetime.date):
    monday, friday = week_bounds(day)
    today_count = (
        ContactLog.objects.filter(case=OuterRef("pk"), contact_date=day)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last = ContactLog.objects.filter(case=OuterRef("pk")).order_by("-contacted_at", "-id")
    return (
        cases.select_related(
            "pupil__school_class__site",
            "contact_plan__wellbeing_check_by",
        )
        .annotate(
            contacts_today=Coalesce(Subquery(today_count, output_field=IntegerField()), Value(0)),
            contact_made=ExpressionWrapper(daily_contact_made(day), output_field=BooleanField()),
            wellbeing_done=Exists(
                ContactLog.objects.filter(
                    WELLBEING_CHECK_DONE,
                    case=OuterRef("pk"),
                    contact_date__range=(monday, friday),
                )
            ),
            last_contact_id=Subquery(last.values("pk")[:1]),
        )
        .prefetch_related(prefetch_carers("pupil__carer_links"))
    )


def _may_raise_concern(cases, user: object):
    """Whether the person may raise a concern about each pupil: anyone who sees the pupil
    (safeguarding's rule, schools.permissions.can_view_pupil), in the same statement."""
    return cases.annotate(
        may_raise_concern=Exists(pupils_visible_to(user).filter(pk=OuterRef("pupil_id")))
    )


def _plan_of(case: Case) -> ContactPlan | None:
    try:
        return case.contact_plan
    except ContactPlan.DoesNotExist:
        return None


def _rows(user: object, cases: list[Case], day: datetime.date) -> list[TodayRow]:
    """Rows for these (annotated) cases: two more queries, the last contacts and the schools'
    calendar for the day, plus one for the cover given for them today and one for what the
    families reported about the day."""
    last_ids = [case.last_contact_id for case in cases if case.last_contact_id]
    last_contacts = (
        {c.pk: c for c in ContactLog.objects.filter(pk__in=last_ids).select_related("staff")}
        if last_ids
        else {}
    )
    school_ids = {case.pupil.school_id for case in cases}
    school_days = (
        set(
            SchoolDay.objects.filter(school_id__in=school_ids, date=day).values_list(
                "school_id", flat=True
            )
        )
        if school_ids
        else set()
    )
    covers = (
        {
            cover.case_id: cover
            for cover in CoverAssignment.objects.filter(
                case__in=[case.pk for case in cases],
                absence__first_day__lte=day,
                absence__last_day__gte=day,
            ).select_related("covered_by", "absence__staff")
        }
        if cases
        else {}
    )
    pupil_ids = [case.pupil_id for case in cases]
    marks = [marker(pupil_ids, day) for marker in _today_markers] if cases else []
    reports: dict[int, list[FamilyReport]] = defaultdict(list)
    if cases:
        for report in (
            FamilyReport.objects.filter(pupil_id__in={case.pupil_id for case in cases}, day=day)
            .select_related("carer")
            .order_by("created_at", "id")
        ):
            reports[report.pupil_id].append(report)
    rows = []
    for case in cases:
        carers = case.pupil.carers_in_order
        rows.append(
            TodayRow(
                case=case,
                day=day,
                school_day=case.pupil.school_id in school_days,
                contacts_today=case.contacts_today,
                wellbeing_done=case.wellbeing_done,
                last_contact=last_contacts.get(case.last_contact_id),
                carer_link=carers[0] if carers else None,
                other_carers=max(len(carers) - 1, 0),
                show_carer_contacts=carer_contacts_shown(user, case, via_class=case.via_class),
                plan=_plan_of(case),
                cover=covers.get(case.pk),
                markers=[found[case.pupil_id] for found in marks if case.pupil_id in found],
                contact_made=case.contact_made,
                family_reports=reports.get(case.pupil_id, []),
            )
        )
    return rows


ORDER = (
    "pupil__school_class__site__name",
    "pupil__school_class__name",
    "pupil__last_name",
    "pupil__first_name",
    "pk",
)


def today_page(user: object, day: datetime.date) -> TodayPage:
    """Everything the Today page shows, in a fixed number of queries."""
    cases = list(
        _may_raise_concern(_annotated(cases_for_today(user, day), day), user).order_by(*ORDER)
    )
    rows = _rows(user, cases, day)
    page = TodayPage(
        day=day, rows=rows, school_day=any(row.school_day for row in rows), leads=False
    )
    if not rows:
        school_ids = {m.school_id for m in memberships_of(user)}
        page.school_day = SchoolDay.objects.filter(school_id__in=school_ids, date=day).exists()
    if leads_classes(user):
        page.leads = True
        page.by_class, page.by_teacher = _behind(rows)
    return page


def _behind(rows: list[TodayRow]) -> tuple[list[BehindCount], list[BehindCount]]:
    """Who is behind: pupils not yet contacted today, per class and per teacher (the cover,
    for a case being covered). One query, for the classes' teachers."""
    by_class: dict[int, BehindCount] = {}
    for row in rows:
        school_class = row.case.pupil.school_class
        entry = by_class.setdefault(
            school_class.pk, BehindCount(label=f"{school_class.name} ({school_class.site.name})")
        )
        entry.pupils += 1
        entry.not_contacted += 0 if row.contacted else 1
    teachers: dict[int, list] = defaultdict(list)
    for membership in Membership.objects.filter(
        role=Role.TEACHER, school_class_id__in=list(by_class)
    ).select_related("user"):
        teachers[membership.school_class_id].append(membership.user)
    by_teacher: dict[int, BehindCount] = {}
    for row in rows:
        if row.cover is not None:
            people = [row.cover.covered_by]
        else:
            people = teachers.get(row.case.pupil.school_class_id, [])
        for person in people:
            entry = by_teacher.setdefault(
                person.pk, BehindCount(label=person.full_name or person.email)
            )
            entry.pupils += 1
            entry.not_contacted += 0 if row.contacted else 1
    return (
        sorted(by_class.values(), key=lambda e: e.label),
        sorted(by_teacher.values(), key=lambda e: e.label),
    )


def today_row(user: object, case_pk: int, day: datetime.date) -> TodayRow | None:
    """One pupil's row of the Today page (for the htmx partial)."""
    case = _may_raise_concern(_annotated(Case.objects.filter(pk=case_pk), day), user).first()
    if case is None:
        return None
    # Whether the person reaches the case through a class role decides the carer details.
    case.via_class = can_work_on_case(user, case)
    return _rows(user, [case], day)[0]


def case_for_contacts(pk: int) -> Case | None:
    return (
        Case.objects.select_related(
            "pupil__school",
            "pupil__school_class__site",
            "contact_plan__decided_by",
            "contact_plan__wellbeing_check_by",
        )
        .filter(pk=pk)
        .first()
    )


def case_contacts(case: Case):
    """The case's contacts, newest first (paginate it: one COUNT and one page query)."""
    return (
        ContactLog.objects.filter(case=case)
        .select_related("staff")
        .order_by("-contacted_at", "-id")
    )


def plan_of(case: Case) -> ContactPlan | None:
    return _plan_of(case)


def plan_versions(plan: ContactPlan | None) -> list[ContactPlanVersion]:
    """Every decision on the plan, newest first: one query however many there are."""
    if plan is None:
        return []
    return list(plan.versions.select_related("decided_by", "wellbeing_check_by"))


def plan_weekday_names(plan: ContactPlan | None) -> str:
    """'Monday, Wednesday' for '0,2'; blank when the calls are every school day."""
    if plan is None:
        return ""
    return ", ".join(DAY_NAMES[d] for d in weekday_numbers(plan.extra_call_weekdays))


def today_counts(user: object, day: datetime.date) -> dict[str, int]:
    """How many of today's pupils are contacted already (two queries, for the htmx update of
    the Today page's count after a contact is logged)."""
    cases = cases_for_today(user, day)
    total = cases.count()
    contacted = cases.filter(daily_contact_made(day)).count()
    return {"total": total, "contacted": contacted, "remaining": total - contacted}


FAMILY_REPORTS_SHOWN = 20


def family_reports_for(case: Case) -> list[FamilyReport]:
    """What the family reported through the carers' portal about the days since the case
    started, newest first: the latest FAMILY_REPORTS_SHOWN, one query."""
    return list(
        FamilyReport.objects.filter(pupil_id=case.pupil_id, day__gte=case.start_date)
        .select_related("carer")
        .order_by("-day", "-created_at", "-id")[:FAMILY_REPORTS_SHOWN]
    )
