"""Open flags for the home page: what needs doing on the cases a person works on or oversees."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import NoReverseMatch

from cases.models import Case, Flag
from cases.permissions import can_list_cases, cases_visible_to

HOME_FLAG_LIMIT = 20


@dataclass(frozen=True, slots=True)
class FlagsNeedingAction:
    flags: list[Flag]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.flags)


def case_url(case: Case) -> str | None:
    """The case page, or None while the cases pages are not yet routed."""
    try:
        return case.get_absolute_url()
    except NoReverseMatch:
        return None


def open_flags_for(user: object) -> QuerySet[Flag]:
    """Open flags on the cases this person may see (cases.permissions scope): one statement,
    empty for people without a role on cases."""
    if not can_list_cases(user):
        return Flag.objects.none()
    return Flag.objects.filter(resolved_at__isnull=True, case__in=cases_visible_to(user))


def flags_needing_action(user: object, *, limit: int = HOME_FLAG_LIMIT) -> FlagsNeedingAction:
    """The longest-standing open flags on cases this person may see (cases.permissions scope).

    At most two queries whatever the number of flags: the first ``limit`` flags with their
    case, pupil and class, and a count only when there are more. None for people without a
    role on cases. Each flag gets ``url``: its case page, when that page exists.
    """
    if not can_list_cases(user):
        return FlagsNeedingAction(flags=[], total=0)
    open_flags = open_flags_for(user)
    flags = list(
        open_flags.select_related("case__pupil__school_class").order_by("period", "id")[:limit]
    )
    total = len(flags) if len(flags) < limit else open_flags.count()
    for flag in flags:
        flag.url = case_url(flag.case)
    return FlagsNeedingAction(flags=flags, total=total)
