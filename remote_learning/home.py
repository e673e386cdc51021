"""What the home page puts in front of each person: their work, counted as the page that lists
it counts it.

No count is worked out here. Each comes from the selector of the page it links to (Today's
page, the DSL dashboard, the case list, the closures list), so the home page and the list can
never disagree. Each part costs a fixed number of queries, whatever the number of rows, and is
worked out only for the roles that see it.
"""

import datetime
from dataclasses import dataclass, field

from cases.closures.permissions import can_list_closures
from cases.closures.selectors import ClosureEntry, closures_in_force
from cases.permissions import can_list_cases
from cases.selectors import case_list_for
from contacts.permissions import can_view_today, leads_classes
from contacts.selectors import BehindCount, TodayPage, today_page
from safeguarding.dashboard.selectors import SafeguardingHome, safeguarding_home_for
from safeguarding.permissions import can_use_dashboard
from schools.models import Role
from schools.permissions import memberships_of


@dataclass(frozen=True, slots=True)
class TodaySummary:
    """Today's page in three numbers: families to contact, contacted, still to go."""

    total: int
    contacted: int
    remaining: int
    behind: list[BehindCount] = field(default_factory=list)

    @classmethod
    def of(cls, page: TodayPage) -> "TodaySummary":
        return cls(
            total=len(page.rows),
            contacted=page.contacted,
            remaining=page.not_contacted,
            behind=[entry for entry in page.by_class if entry.not_contacted],
        )


@dataclass
class HomeWork:
    today: TodaySummary | None = None
    closures: list[ClosureEntry] = field(default_factory=list)
    safeguarding: SafeguardingHome | None = None
    leads: bool = False
    reviews_this_week: int | None = None
    leads_school: bool = False


def home_work_for(user: object, day: datetime.date) -> HomeWork:
    work = HomeWork()
    if can_view_today(user, day):
        work.today = TodaySummary.of(today_page(user, day))
    if can_list_closures(user):
        work.closures = closures_in_force(user, day)
    if can_use_dashboard(user):
        work.safeguarding = safeguarding_home_for(user)
    work.leads = leads_classes(user)
    if work.leads and can_list_cases(user):
        work.reviews_this_week = case_list_for(user, today=day, review_this_week=True).count()
    work.leads_school = any(m.role == Role.HEADTEACHER for m in memberships_of(user))
    return work
