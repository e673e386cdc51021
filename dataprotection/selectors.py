"""Reading the access audit (for the DPO's page and for jobs) and its seals."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import QuerySet, Subquery

from dataprotection.models import AccessEvent, AuditSeal, AuditVerification

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


def latest_verification() -> AuditVerification | None:
    """The latest run of verify_audit_chain, whatever it found."""
    return AuditVerification.objects.order_by("-verified_at", "-id").first()


_VERIFICATION_FIELDS = (
    "id",
    "verified_at",
    "ok",
    "seals_checked",
    "events_checked",
    "events_purged",
    "last_seal_sequence",
    "first_bad_event_id",
    "first_bad_seal_sequence",
    "message",
)


def latest_seal() -> AuditSeal | None:
    """The latest seal over the access audit, or None before the first. One query.

    The seal carries:
    - ``latest_check``: the latest verification run (an AuditVerification), or None;
    - ``verification``: that run if it covered this seal, else None (not yet verified);
    - ``verified_at`` and ``verified_ok`` (True, False, or None when not yet verified).
    A later run always covers at least the seals an earlier one did, so the latest run is
    the one that says whether this seal was checked.
    """
    latest_run = AuditVerification.objects.order_by("-verified_at", "-id")
    seal = (
        AuditSeal.objects.annotate(
            **{
                f"check_{name}": Subquery(latest_run.values(name)[:1])
                for name in _VERIFICATION_FIELDS
            }
        )
        .order_by("-sequence")
        .first()
    )
    if seal is None:
        return None
    check = None
    if seal.check_id is not None:
        check = AuditVerification(
            **{name: getattr(seal, f"check_{name}") for name in _VERIFICATION_FIELDS}
        )
    covers = check is not None and (check.last_seal_sequence or 0) >= seal.sequence
    seal.latest_check = check
    seal.verification = check if covers else None
    seal.verified_at = check.verified_at if covers else None
    seal.verified_ok = check.ok if covers else None
    return seal
