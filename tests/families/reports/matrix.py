"""Permission matrix rows for the carers' portal pages where a family tells the school
something about world.pupil: the carers who may see the pupil (its parent, and the parent of
the pupil and a sibling); no member of staff and no other carer (a classmate's parent, a
restricted parent, a leaver's parent) reaches them (404)."""

from tests.matrix import CARES_FOR_THE_PUPIL, Rule

FAMILY = CARES_FOR_THE_PUPIL


def _child(world) -> list:
    return [world.pupil.pk]


ROWS: dict[str, Rule] = {
    "families:tell_school": Rule(allowed=FAMILY, args=_child),
    "families:report_new": Rule(allowed=FAMILY, args=_child),
    "families:feedback_new": Rule(allowed=FAMILY, args=_child),
    "families:report_done": Rule(allowed=FAMILY, args=_child),
    "families:help_new": Rule(allowed=FAMILY, args=_child),
    "families:complaint_new": Rule(allowed=FAMILY, args=_child),
    "families:complaint_received": Rule(allowed=FAMILY, args=_child),
}
