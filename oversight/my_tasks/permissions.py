"""Who has a tasks page, and the gate for one of their notifications.

Every member of staff has one, holding only what is theirs. Governors have no pupil tasks and
receive no notifications through the service, so they (and accounts with no school) have no
tasks page: 404, like any page that is not theirs.
"""

from core.actor import Actor
from core.outbox import OutboxMessage
from dataprotection.refusals import refuse, refuse_unless
from oversight.my_tasks.sources import NOTIFICATION_SOURCES, NotificationSource
from schools.permissions import STAFF_ROLES, memberships_of


def has_tasks_page(user: object) -> bool:
    return any(m.role in STAFF_ROLES for m in memberships_of(user))


def access_my_tasks(actor: Actor) -> None:
    refuse_unless(has_tasks_page(actor.user), actor, detail="no tasks page without a staff role")


def access_my_notification(
    actor: Actor, source_slug: str, pk: int
) -> tuple[NotificationSource, OutboxMessage]:
    """A notification sent to this person; anyone else's, or none, is a 404."""
    source = NOTIFICATION_SOURCES.get(source_slug)
    notification = (
        source.model.objects.filter(pk=pk, recipient=actor.user).first() if source else None
    )
    if source is None or notification is None:
        refuse(
            actor,
            subject_type=source.model._meta.label_lower if source else "notification",
            subject_id=pk,
            detail="notification not addressed to this person",
        )
    return source, notification
