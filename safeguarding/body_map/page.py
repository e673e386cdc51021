"""What the concern page shows of the body map: both outlines with the current marks on them,
and every mark (corrected ones included) for the table beside them."""

from dataclasses import dataclass

from safeguarding.body_map import outline
from safeguarding.models import BodyMark, Concern
from safeguarding.selectors import numbered_marks


@dataclass(frozen=True)
class OutlineView:
    key: str
    title: str
    caption: str
    regions: tuple[outline.Region, ...]
    marks: list[BodyMark]


@dataclass(frozen=True)
class BodyMapPage:
    views: list[OutlineView]
    marks: list[BodyMark]
    current: list[BodyMark]


def body_map_for_page(concern: Concern, *, recorded_by: object = None) -> BodyMapPage | None:
    """None for a concern that records no body map and has no marks. ``recorded_by`` keeps
    only that person's marks (the reporter's receipt). No queries: the marks come prefetched
    with the concern."""
    marks = list(concern.body_marks.all())
    if recorded_by is not None:
        marks = [mark for mark in marks if mark.recorded_by_id == recorded_by.pk]
    marks = numbered_marks(marks)
    if not marks and not concern.category.records_body_map:
        return None
    current = [mark for mark in marks if mark.corrected_by_number is None]
    views = [
        OutlineView(
            "front",
            "Body outline, front view",
            "Front: the child's right is on your left.",
            outline.regions("front"),
            [mark for mark in current if mark.view == "front"],
        ),
        OutlineView(
            "back",
            "Body outline, back view",
            "Back: the child's left is on your left.",
            outline.regions("back"),
            [mark for mark in current if mark.view == "back"],
        ),
    ]
    return BodyMapPage(views, marks, current)
