"""Reading the access audit, for the DPO's page and for jobs."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from dataprotection.models import AccessEvent

# The school's day: filters by date mean a day in England, whatever the server's clock.
LONDON = ZoneInfo("Europe/London")


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The aware moment a day starts in Europe/London (UK clocks change at 01:00 UTC, so
    midnight always exists and is never ambiguous)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


def access_events_for(
    *,
    pupil_id: int | None = None,
    user_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    within: QuerySet[AccessEvent] | None = None,
) -> QuerySet[AccessEvent]:
    """Access events, newest first, narrowed by pupil, by person and by Europe/London dates.

    Both dates are inclusive. ``within`` is the scope the caller may see (by default every
    event): a permission scope from the app that shows the events.
    """
    events = AccessEvent.objects.all() if within is None else within
    if pupil_id is not None:
        events = events.filter(pupil_id=pupil_id)
    if user_id is not None:
        events = events.filter(user_id=user_id)
    if date_from is not None:
        events = events.filter(occurred_at__gte=local_midnight(date_from))
    if date_to is not None:
        events = events.filter(occurred_at__lt=local_midnight(date_to + datetime.timedelta(days=1)))
    return events.order_by("-occurred_at", "-id")
