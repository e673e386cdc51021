"""What a figure covers: a school, site or class, over a period of days."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from cases.models import STARTED_STATUSES, Status
from dataprotection.selectors import local_midnight

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


def period_moments(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """The period as aware moments: from the first day's London midnight to the midnight
    after the last day (exclusive)."""
    return local_midnight(start), local_midnight(end + ONE_DAY)


def ran_during(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """Cases that ran on at least one day of the period."""
    return (
        Q(**{f"{prefix}status__in": STARTED_STATUSES})
        & Q(**{f"{prefix}start_date__lte": end})
        & (
            ~Q(**{f"{prefix}status": Status.CLOSED})
            | Q(**{f"{prefix}actual_return_date__gt": start})
        )
    )


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None
