"""Writing the access audit. Every read of pupil data and every refusal goes through here."""

from django.db import models

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent


def _user_display(user: object) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "Anonymous"
    return f"{user.get_full_name()} <{user.email}>"[:260]


def _who_and_where(
    *, action: str, actor: Actor | None, route: str, detail: str
) -> dict[str, object]:
    """The fields every event of one access shares: who, what, from where, in which request."""
    actor = actor or Actor.system()
    user = actor.user
    return {
        "user_id": user.pk if actor.is_authenticated else None,
        "user_display": _user_display(user),
        "action": action,
        "route": (route or actor.route)[:120],
        "detail": detail[:300],
        "ip_address": actor.ip_address,
        "request_id": actor.request_id,
    }


def access_record(
    *,
    action: AccessAction,
    actor: Actor | None = None,
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
        **_who_and_where(action=action, actor=actor, route=route, detail=detail),
    )


def access_record_many(
    *,
    action: AccessAction,
    subjects: list[tuple[models.Model, int | None]],
    actor: Actor | None = None,
    detail: str = "",
) -> int:
    """Record the same access to many subjects, each a (record, pupil id), in one INSERT."""
    common = _who_and_where(action=action, actor=actor, route="", detail=detail)
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
