"""Permission matrix rows for the carers' portal pages where a family tells the school
something about world.pupil: no member of staff reaches a portal page (404)."""

from tests.matrix import Rule

NO_STAFF = frozenset()


def _child(world) -> list:
    return [world.pupil.pk]


ROWS: dict[str, Rule] = {
    "families:tell_school": Rule(allowed=NO_STAFF, args=_child),
    "families:report_new": Rule(allowed=NO_STAFF, args=_child),
    "families:feedback_new": Rule(allowed=NO_STAFF, args=_child),
    "families:report_done": Rule(allowed=NO_STAFF, args=_child),
    "families:help_new": Rule(allowed=NO_STAFF, args=_child),
    "families:complaint_new": Rule(allowed=NO_STAFF, args=_child),
    "families:complaint_received": Rule(allowed=NO_STAFF, args=_child),
}
