"""Permission matrix rows for My tasks.

- The tasks page: every member of staff (each sees only their own). Governors, the chair, and
  accounts with no school (no role, the administrator) have no pupil tasks and no page: 404.
- Marking a notification read (one sent to the DSL): the DSL alone; everyone else, staff or
  not, gets 404, as for a notification that does not exist.
"""

from tests.matrix import EVERYONE, Rule
from tests.world import World

NO_TASKS_PAGE = frozenset({"governor", "chair", "no_role", "administrator"})
STAFF = EVERYONE - NO_TASKS_PAGE


def _dsl_notification(world: World) -> list:
    from safeguarding.models import Notification, NotificationKind
    from tests.safeguarding.matrix_concerns import concern_for

    note = Notification.objects.create(
        recipient=world.users["dsl"],
        concern=concern_for(world),
        kind=NotificationKind.IMMEDIATE_CONCERN,
    )
    return ["concern", note.pk]


ROWS = {
    "my_tasks:my_tasks": Rule(allowed=STAFF),
    "my_tasks:notification_read": Rule(
        allowed=frozenset({"dsl"}),
        method="post",
        args=_dsl_notification,
        allowed_status=302,
    ),
}
