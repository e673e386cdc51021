"""The SLT report: every figure of it, for a school, site or class and a period."""

import datetime
from dataclasses import dataclass

from cases.models import Case, FlagKind
from oversight.measures.cases import (
    NowFigures,
    ReasonRow,
    ReintegrationFigures,
    ReviewFigures,
    cases_by_reason,
    needing_attention,
    now_figures,
    reintegration,
    reviews_held,
)
from oversight.measures.contacts import (
    ConcernFigures,
    ContactFigures,
    FlagRow,
    HomeVisitFigures,
    ProvisionFigures,
    SessionFigures,
    concerns,
    contact_compliance,
    flags_raised,
    home_visits,
    provision,
    scope_classes,
    virtual_sessions,
)
from oversight.measures.scope import Scope


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
