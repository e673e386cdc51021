"""Writing the access audit. Every read of pupil data and every refusal goes through here."""

from django.db import models
from django.http import HttpRequest

from dataprotection.models import AccessAction, AccessEvent


def _client_ip(request: HttpRequest) -> str | None:
    # Behind the proxy (docker-compose, gunicorn) REMOTE_ADDR is the proxy; SecurityMiddleware
    # is told to trust X-Forwarded-Proto only, so take the address Django was given.
    return request.META.get("REMOTE_ADDR") or None


def _user_display(user: object) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "Anonymous"
    return f"{user.get_full_name()} <{user.email}>"[:260]


def _who_and_where(
    *, action: str, request: HttpRequest | None, user: object | None, route: str, detail: str
) -> dict[str, object]:
    """The fields every event of one access shares: who, what, from where, in which request."""
    if user is None and request is not None:
        user = request.user
    if request is not None and not route:
        match = getattr(request, "resolver_match", None)
        route = match.view_name if match is not None else ""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return {
        "user_id": user.pk if authenticated else None,
        "user_display": _user_display(user),
        "action": action,
        "route": route[:120],
        "detail": detail[:300],
        "ip_address": _client_ip(request) if request is not None else None,
        "request_id": getattr(request, "request_id", "") if request is not None else "",
    }


def access_record(
    *,
    action: AccessAction,
    request: HttpRequest | None = None,
    user: object | None = None,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str | int = "",
    pupil_id: int | None = None,
    detail: str = "",
    route: str = "",
) -> AccessEvent:
    """Record one access. ``detail`` must never carry personal data: ids and counts only."""
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = subject.pk
    return AccessEvent.objects.create(
        subject_type=subject_type,
        subject_id=str(subject_id) if subject_id != "" else "",
        pupil_id=pupil_id,
        **_who_and_where(action=action, request=request, user=user, route=route, detail=detail),
    )


def access_record_many(
    *,
    action: AccessAction,
    subjects: list[tuple[models.Model, int | None]],
    request: HttpRequest | None = None,
    user: object | None = None,
    detail: str = "",
) -> int:
    """Record the same access to many subjects, each a (record, pupil id), in one INSERT."""
    common = _who_and_where(action=action, request=request, user=user, route="", detail=detail)
    AccessEvent.objects.bulk_create(
        [
            AccessEvent(
                subject_type=subject._meta.label_lower,
                subject_id=str(subject.pk),
                pupil_id=pupil_id,
                **common,
            )
            for subject, pupil_id in subjects
        ]
    )
    return len(subjects)
