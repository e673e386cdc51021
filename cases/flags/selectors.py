"""Open flags for the home page: what needs doing on the cases a person works on or oversees."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Window
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

    One query whatever the number of flags: the first ``limit`` flags with their case, pupil
    and class, each carrying the number of them all (a window), so the home page costs the
    same however many there are. None for people without a role on cases. Each flag gets
    ``url``: its case page, when that page exists.
    """
    if not can_list_cases(user):
        return FlagsNeedingAction(flags=[], total=0)
    flags = list(
        open_flags_for(user)
        .select_related("case__pupil__school_class")
        .annotate(total=Window(Count("pk")))
        .order_by("period", "id")[:limit]
    )
    total = flags[0].total if flags else 0
    for flag in flags:
        flag.url = case_url(flag.case)
    return FlagsNeedingAction(flags=flags, total=total)
