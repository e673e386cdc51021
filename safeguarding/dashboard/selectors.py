"""Reads for the DSL dashboard and the per-case safeguarding page.

Every read here costs a fixed number of SQL statements, whatever the number of concerns,
flags, visits and pupils: counts are one aggregate each, lists are capped and fetched with
their pupils (and cases) in the same statement.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case as When_
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce
from django.urls import reverse

from cases.models import Case, Flag, FlagKind
from cases.permissions import cases_visible_to
from safeguarding.models import (
    ActionFlag,
    Concern,
    ConcernPupil,
    ConcernStatus,
    HomeVisit,
    Involvement,
    ReferralFlag,
    SocialWorkerInformed,
    TransferFlag,
    Urgency,
)
from safeguarding.permissions import SAFEGUARDING_ROLES
from safeguarding.visibility import concerns_visible_to
from schools.calendar import today, working_days_between
from schools.models import Role, SchoolDay, Site
from schools.permissions import memberships_of, pupils_visible_to

# Lists are capped so a page costs the same whatever the numbers; the counts say how many.
LIST_LIMIT = 100

DASHBOARD_FLAG_KINDS = (
    FlagKind.FAMILY_NOT_RESPONDING,
    FlagKind.WELLBEING_CHECK_OVERDUE,
    FlagKind.TIME_LIMIT_PASSED,
    FlagKind.SOCIAL_WORKER_NOT_INFORMED,
    FlagKind.DAILY_CONTACT_MISSED,
    FlagKind.EXTRA_CALLS_SHORT,
)
URGENCY_ORDER = [Urgency.IMMEDIATE, Urgency.HIGH, Urgency.ROUTINE]


def concern_path(concern_id: int) -> str:
    """The concern's page."""
    return reverse("safeguarding:concern_detail", args=[concern_id])


def new_concern_path(pupil_id: int) -> str:
    """The page to raise a concern about this pupil."""
    return f"{reverse('safeguarding:concern_new')}?pupil={pupil_id}"


def dashboard_sites(user: object) -> list[Site]:
    """The sites whose safeguarding this person oversees: one statement at most."""
    site_ids: set[int] = set()
    school_ids: set[int] = set()
    for membership in memberships_of(user):
        if membership.role not in SAFEGUARDING_ROLES:
            continue
        if membership.role == Role.HEADTEACHER or (
            membership.site_id is None and membership.school_class_id is None
        ):
            school_ids.add(membership.school_id)
        elif membership.site_id is not None:
            site_ids.add(membership.site_id)
    if not site_ids and not school_ids:
        return []
    return list(
        Site.objects.filter(Q(pk__in=site_ids) | Q(school_id__in=school_ids))
        .select_related("school")
        .order_by("school__name", "name")
    )


def dashboard_cases(user: object) -> QuerySet[Case]:
    """Cases the person reads that are also within their safeguarding scope."""
    return cases_visible_to(user).filter(
        pupil__in=pupils_visible_to(user, roles=SAFEGUARDING_ROLES)
    )


@dataclass
class Dashboard:
    concern_counts: dict[str, int]
    unacknowledged: int
    open_concerns: int
    concerns: list[Concern]
    flag_count: int
    flags: list[Flag]
    visit_count: int
    visits: list[HomeVisit]
    overdue_action_count: int = 0
    overdue_actions: list[ActionFlag] = field(default_factory=list)
    overdue_referral_count: int = 0
    overdue_referrals: list[ReferralFlag] = field(default_factory=list)
    transfer_count: int = 0
    transfers: list[TransferFlag] = field(default_factory=list)
    limit: int = LIST_LIMIT
    urgency_rows: list[tuple[str, str, int]] = field(default_factory=list)


def transfers_to_send(
    user: object, *, day: datetime.date, site_id: int | None = None
) -> QuerySet[TransferFlag]:
    """Leavers' files not yet received, of the pupils in the person's safeguarding scope, each
    with how many school days it is past its date and the number of them all (a window), so
    the capped list and its count are one statement."""
    school_days_past = (
        SchoolDay.objects.filter(
            school_id=OuterRef("leaving__pupil__school_id"),
            date__gt=OuterRef("due_on"),
            date__lte=day,
        )
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    flags = TransferFlag.objects.filter(
        resolved_at__isnull=True,
        leaving__pupil__in=pupils_visible_to(user, roles=SAFEGUARDING_ROLES),
    )
    if site_id is not None:
        flags = flags.filter(leaving__pupil__school_class__site_id=site_id)
    return (
        flags.select_related("leaving__pupil__school_class")
        .annotate(
            total=Window(Count("pk")),
            school_days_overdue=Coalesce(Subquery(school_days_past), Value(0)),
        )
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def open_concerns_in_view(user: object) -> QuerySet[Concern]:
    """The dashboard's concerns: those the person reads, not yet closed."""
    return concerns_visible_to(user).exclude(status=ConcernStatus.CLOSED)


# The dashboard's "not yet acknowledged": raised and not yet taken up by the DSL team.
AWAITING_ACKNOWLEDGEMENT = Q(status=ConcernStatus.RAISED)


def waiting_for_acknowledgement(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    return concerns.filter(AWAITING_ACKNOWLEDGEMENT)


def urgency_rank() -> When_:
    return When_(
        *[When(urgency=u.value, then=Value(n)) for n, u in enumerate(URGENCY_ORDER)],
        default=Value(len(URGENCY_ORDER)),
        output_field=IntegerField(),
    )


def dashboard_flags(cases: QuerySet[Case]) -> QuerySet[Flag]:
    """The dashboard's open flags on these cases."""
    return Flag.objects.filter(
        resolved_at__isnull=True, kind__in=DASHBOARD_FLAG_KINDS, case__in=cases
    )


def visits_to_arrange(cases: QuerySet[Case]) -> QuerySet[HomeVisit]:
    """The dashboard's home visits to arrange on these cases: requested, not yet made."""
    return HomeVisit.objects.filter(visited_on__isnull=True, case__in=cases)


@dataclass
class SafeguardingHome:
    """What the home page shows the DSL team: the dashboard's own counts, and the concerns
    waiting for acknowledgement, immediate ones first, each with its page."""

    waiting_count: int
    waiting: list[Concern]
    flag_count: int
    visit_count: int


HOME_WAITING_LIMIT = 5


def safeguarding_home_for(user: object) -> SafeguardingHome:
    """Four statements, whatever the numbers: the dashboard's definitions, unfiltered."""
    waiting = waiting_for_acknowledgement(open_concerns_in_view(user))
    cases = dashboard_cases(user)
    waiting_list = list(
        waiting.annotate(urgency_rank=urgency_rank())
        .select_related("pupil__school_class")
        .order_by("urgency_rank", "raised_at", "pk")[:HOME_WAITING_LIMIT]
    )
    for concern in waiting_list:
        concern.page_url = concern_path(concern.pk)
    return SafeguardingHome(
        waiting_count=waiting.count(),
        waiting=waiting_list,
        flag_count=dashboard_flags(cases).count(),
        visit_count=visits_to_arrange(cases).count(),
    )


def dashboard_for(user: object, *, site_id: int | None = None, urgency: str = "") -> Dashboard:
    """Eleven statements (plus the person's memberships): counts, then capped lists."""
    # Concerns in view, closed ones included (a closed concern's referral may still await a
    # response); the open ones are the dashboard's concerns.
    in_view = concerns_visible_to(user)
    cases = dashboard_cases(user)
    if site_id is not None:
        in_view = in_view.filter(pupil__school_class__site_id=site_id)
        cases = cases.filter(pupil__school_class__site_id=site_id)
    if urgency:
        in_view = in_view.filter(urgency=urgency)
    concerns = in_view.exclude(status=ConcernStatus.CLOSED)  # as open_concerns_in_view

    counts = concerns.aggregate(
        total=Count("pk"),
        unacknowledged=Count("pk", filter=AWAITING_ACKNOWLEDGEMENT),
        **{u.value: Count("pk", filter=Q(urgency=u.value)) for u in URGENCY_ORDER},
    )
    ordered = concerns.annotate(
        unacknowledged_first=When_(
            When(status=ConcernStatus.RAISED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        urgency_rank=urgency_rank(),
    ).order_by("unacknowledged_first", "urgency_rank", "raised_at", "pk")
    # The other pupils each names, with whether this person may open their page: one query.
    named = ConcernPupil.objects.select_related("pupil").annotate(
        may_open=Exists(pupils_visible_to(user).filter(pk=OuterRef("pupil_id")))
    )
    concern_list = list(
        ordered.select_related("pupil", "pupil__school_class", "category").prefetch_related(
            Prefetch("named_pupils", named, to_attr="named")
        )[:LIST_LIMIT]
    )
    for concern in concern_list:
        concern.page_url = concern_path(concern.pk)

    flags = dashboard_flags(cases)
    flag_count = flags.count()
    flag_list = list(
        flags.select_related("case", "case__pupil", "case__pupil__school_class").order_by(
            "raised_at", "pk"
        )[:LIST_LIMIT]
    )

    visits = visits_to_arrange(cases)
    visit_count = visits.count()
    visit_list = list(
        visits.select_related(
            "case", "case__pupil", "slt_agreed_by", "dsl_agreed_by", "requested_by"
        ).order_by("requested_at", "pk")[:LIST_LIMIT]
    )

    # Overdue actions on the open concerns in view (their flags, raised by the daily rule).
    overdue = ActionFlag.objects.filter(resolved_at__isnull=True, action__concern__in=concerns)
    overdue_count = overdue.count()
    overdue_list = list(
        overdue.select_related("action__who", "action__concern__pupil").order_by(
            "action__due_on", "pk"
        )[:LIST_LIMIT]
    )
    for flag in overdue_list:
        flag.page_url = concern_path(flag.action.concern_id)

    # Referrals awaiting a response past their date (their flags, raised by the daily rule),
    # on any concern in view, closed ones too: closing a concern does not answer a referral.
    awaiting = ReferralFlag.objects.filter(resolved_at__isnull=True, referral__concern__in=in_view)
    awaiting_count = awaiting.count()
    awaiting_list = list(
        awaiting.select_related("referral__concern__pupil").order_by("due_on", "pk")[:LIST_LIMIT]
    )
    day = today()
    for flag in awaiting_list:
        flag.page_url = concern_path(flag.referral.concern_id)
        flag.working_days_overdue = working_days_between(flag.due_on, day)

    # Leavers' files not yet received (their flags, raised when the leaving is recorded).
    transfer_list = list(transfers_to_send(user, day=day, site_id=site_id)[:LIST_LIMIT])

    return Dashboard(
        transfer_count=transfer_list[0].total if transfer_list else 0,
        transfers=transfer_list,
        overdue_referral_count=awaiting_count,
        overdue_referrals=awaiting_list,
        overdue_action_count=overdue_count,
        overdue_actions=overdue_list,
        concern_counts={u.value: counts[u.value] for u in URGENCY_ORDER},
        unacknowledged=counts["unacknowledged"],
        open_concerns=counts["total"],
        concerns=concern_list,
        flag_count=flag_count,
        flags=flag_list,
        visit_count=visit_count,
        visits=visit_list,
        urgency_rows=[(u.value, u.label, counts[u.value]) for u in URGENCY_ORDER],
    )


def case_for_safeguarding(pk: int) -> Case | None:
    return (
        Case.objects.select_related("pupil", "pupil__school", "pupil__school_class")
        .filter(pk=pk)
        .first()
    )


@dataclass
class CaseSafeguarding:
    informed: list[SocialWorkerInformed]
    involvements: list[Involvement]
    visits: list[HomeVisit]
    open_flags: list[Flag]
    today: datetime.date


def case_safeguarding_page(case: Case, *, today: datetime.date) -> CaseSafeguarding:
    return CaseSafeguarding(
        informed=list(case.social_worker_told.select_related("recorded_by")),
        involvements=list(case.involvements.select_related("worker", "recorded_by")),
        visits=list(
            case.home_visits.select_related(
                "requested_by", "slt_agreed_by", "dsl_agreed_by"
            ).prefetch_related("staff")
        ),
        open_flags=list(
            case.flags.filter(
                resolved_at__isnull=True,
                kind__in=[FlagKind.SOCIAL_WORKER_NOT_INFORMED, FlagKind.FAMILY_NOT_RESPONDING],
            )
        ),
        today=today,
    )


def visit_for_page(pk: int) -> HomeVisit | None:
    return (
        HomeVisit.objects.select_related(
            "case",
            "case__pupil",
            "case__pupil__school_class",
            "requested_by",
            "slt_agreed_by",
            "dsl_agreed_by",
            "outcome_recorded_by",
        )
        .prefetch_related("staff")
        .filter(pk=pk)
        .first()
    )


def involvement_for_page(pk: int) -> Involvement | None:
    return (
        Involvement.objects.select_related(
            "case", "case__pupil", "case__pupil__school_class", "worker"
        )
        .filter(pk=pk)
        .first()
    )
