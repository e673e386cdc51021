"""The governors' summary.

School and site level only, the last three terms. Each measure is a table of sites by term
whose columns add up to the whole school, and goes through ``protect_table`` once: small
counts are hidden, and so is a second site's count wherever the whole school less the sites
shown would give a hidden one away. The template receives strings, never raw numbers, so no
count below the threshold can reach a governor by accident.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.db.models import Count, F, Q, QuerySet

from accounts.models import User
from cases.models import STARTED_STATUSES, Case, Flag, FlagKind, Provision, Review
from core.suppression import ProtectedShares, ProtectedTable, protect_shares, protect_table
from dataprotection.models import AccessEvent
from dataprotection.selectors import local_midnight
from oversight.measures.contacts import (
    daily_contacts_by_class_and_day,
    school_days,
    week_anchors,
    wellbeing_checks_by_class_and_week,
)
from oversight.measures.scope import Scope, percent, period_moments, ran_during
from safeguarding.models import Concern, HomeVisit, VirtualSession
from schools.models import Pupil, SchoolClass, Site, Term


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
    moments = [period_moments(term.first_day, term.last_day) for term in terms]

    cases = _by_site(
        Case.objects.filter(scope.pupils("pupil")),
        "pupil__school_class__site_id",
        {
            **_per_term(
                "opened",
                terms,
                lambda t: Q(
                    start_date__range=(t.first_day, t.last_day), status__in=STARTED_STATUSES
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

    indexes = range(len(terms))

    def by_site(value) -> list[list[int]]:
        """A sites-by-terms body, ``value(site id, term index)`` in each cell."""
        return [[value(site.pk, i) for i in indexes] for site in sites]

    def counted(source: dict[int, dict], key: str) -> ProtectedTable:
        return protect_table(
            by_site(lambda site_id, i: source.get(site_id, {}).get(f"{key}{i}", 0)),
            column_totals=True,
            columns=len(terms),
        )

    def shares(made: str, of: str) -> ProtectedShares:
        return protect_shares(
            by_site(lambda site_id, i: due[(site_id, i, made)]),
            by_site(lambda site_id, i: due[(site_id, i, of)]),
            column_totals=True,
            columns=len(terms),
        )

    daily = shares("daily_made", "daily_due")
    tables: list[tuple[str, ProtectedTable | ProtectedShares]] = [
        ("Remote-education cases opened", counted(cases, "opened")),
        ("Cases running at some time in the term", counted(cases, "running")),
        ("Case reviews held", counted(reviews, "held")),
        ("Daily contacts made, of those due", daily),
        ("Weekly wellbeing checks made, of those due", shares("checks_made", "checks_due")),
        ("Days of provision recorded", counted(provided, "provision")),
        ("Families not responding (flags raised)", counted(flags, "silent")),
        ("Home visits made", counted(visits, "visited")),
        ("Safeguarding concerns raised", counted(raised, "concerns")),
    ]

    def block(title: str, row: int) -> GovernorBlock:
        rows = [
            GovernorRow(label, [table.text(row, i) for i in indexes]) for label, table in tables
        ]
        return GovernorBlock(title, rows)

    blocks = [block("Whole school", len(sites))]
    blocks += [block(f"Site: {site.name}", row) for row, site in enumerate(sites)]

    sessions_row = None
    if terms:
        held = VirtualSession.objects.filter(school_id=school_id).aggregate(
            **{
                f"sessions{i}": Count("pk", filter=Q(starts_at__gte=begins, starts_at__lt=ends))
                for i, (begins, ends) in enumerate(moments)
            }
        )
        sessions = protect_table([[held[f"sessions{i}"] for i in indexes]])
        sessions_row = GovernorRow(
            "Virtual sessions held (whole school)", [sessions.text(0, i) for i in indexes]
        )

    # A bar per site and term for the share of daily contacts made, drawn only where the
    # share itself is shown.
    chart = []
    for row, site in enumerate(sites):
        bars = []
        for i, term in enumerate(terms):
            made, of = daily.parts.values[row][i], daily.wholes.values[row][i]
            value = percent(made, of) if daily.shown(row, i) else None
            bars.append((term.name, value, daily.text(row, i)))
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
