"""The body outline a mark is placed on, drawn and named from one set of shapes.

Both views are drawn in a 100 by 100 box, the same figure seen from the front and from the back.
A point is stored as across (x) and down (y) within that box. Each part of the body is a polygon,
so the page draws exactly the shapes the server names points with, and a point inside none of
them is off the body.

Paired parts are drawn on the viewer's left and mirrored. On the front view the viewer's left
is the child's right; on the back view it is the child's left, as on a paper body map.
"""

from dataclasses import dataclass
from functools import cache

Point = tuple[float, float]
VIEWS = ("front", "back")
SIDE_ON_VIEWERS_LEFT = {"front": "right", "back": "left"}


@dataclass(frozen=True)
class _Part:
    base: str
    choice: str  # the label offered without a mouse, true of both views
    front: str
    back: str
    points: tuple[Point, ...]  # on the viewer's left for a paired part
    paired: bool = True


_PARTS = (
    _Part(
        "head",
        "Head (face or back of head)",
        "face",
        "back of head",
        ((46, 2), (54, 2), (57, 5), (57, 11), (54, 14), (46, 14), (43, 11), (43, 5)),
        paired=False,
    ),
    _Part(
        "neck",
        "Neck",
        "front of neck",
        "back of neck",
        ((47, 14), (53, 14), (53, 17), (47, 17)),
        paired=False,
    ),
    _Part(
        "upper_torso",
        "{Side} chest or upper back",
        "{side} chest",
        "{side} upper back",
        ((40, 17), (50, 17), (50, 32), (41, 32)),
    ),
    _Part(
        "lower_torso",
        "Abdomen or lower back",
        "abdomen",
        "lower back",
        ((41, 32), (59, 32), (60, 45), (40, 45)),
        paired=False,
    ),
    _Part(
        "hip",
        "{Side} hip or buttock",
        "{side} hip",
        "{side} buttock",
        ((40, 45), (50, 45), (50, 52), (40, 52)),
    ),
    _Part(
        "upper_arm",
        "{Side} upper arm",
        "{side} upper arm",
        "{side} upper arm",
        ((38, 17), (40, 17), (40, 25), (34, 37), (30, 35)),
    ),
    _Part(
        "forearm",
        "{Side} forearm",
        "{side} forearm",
        "{side} forearm",
        ((30, 35), (34, 37), (29, 51), (25, 50)),
    ),
    _Part(
        "hand",
        "{Side} hand",
        "{side} hand",
        "back of {side} hand",
        ((25, 50), (29, 51), (29, 57), (26, 58), (23, 56)),
    ),
    _Part(
        "thigh",
        "{Side} thigh",
        "front of {side} thigh",
        "back of {side} thigh",
        ((40, 52), (50, 52), (49, 72), (42, 72)),
    ),
    _Part(
        "knee",
        "{Side} knee",
        "{side} knee",
        "back of {side} knee",
        ((42, 72), (49, 72), (48.5, 76), (42.5, 76)),
    ),
    _Part(
        "lower_leg",
        "{Side} shin or calf",
        "{side} shin",
        "{side} calf",
        ((42.5, 76), (48.5, 76), (47, 92), (43, 92)),
    ),
    _Part(
        "foot",
        "{Side} foot or heel",
        "{side} foot",
        "{side} heel",
        ((43, 92), (47, 92), (48, 97), (40, 97), (40, 95)),
    ),
)


@dataclass(frozen=True)
class Region:
    key: str  # the same for both views: "left_forearm"
    view: str
    name: str  # as a DSL would write it, for screen readers and print: "left forearm"
    points: tuple[Point, ...]

    @property
    def centre(self) -> Point:
        """Where a mark chosen from the list (not clicked) is drawn: inside, the parts being
        convex."""
        xs, ys = zip(*self.points, strict=True)
        return round(sum(xs) / len(xs), 1), round(sum(ys) / len(ys), 1)

    @property
    def svg_points(self) -> str:
        return " ".join(f"{x:g},{y:g}" for x, y in self.points)

    def contains(self, x: float, y: float) -> bool:
        """Ray casting: a point is inside when a ray from it crosses the edges an odd number of
        times."""
        inside = False
        corners = self.points
        for (x1, y1), (x2, y2) in zip(corners, corners[1:] + corners[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        return inside


def _mirrored(points: tuple[Point, ...]) -> tuple[Point, ...]:
    return tuple((100 - x, y) for x, y in reversed(points))


@cache
def regions(view: str) -> tuple[Region, ...]:
    if view not in VIEWS:
        return ()
    found = []
    for part in _PARTS:
        name = part.front if view == "front" else part.back
        if not part.paired:
            found.append(Region(part.base, view, name, part.points))
            continue
        near = SIDE_ON_VIEWERS_LEFT[view]
        far = "left" if near == "right" else "right"
        for side, points in ((near, part.points), (far, _mirrored(part.points))):
            found.append(Region(f"{side}_{part.base}", view, name.format(side=side), points))
    return tuple(found)


def region_at(view: str, x: float, y: float) -> Region | None:
    """The part of the body at this point of the view, or None off the body."""
    return next((region for region in regions(view) if region.contains(x, y)), None)


def region(view: str, key: str) -> Region | None:
    return next((found for found in regions(view) if found.key == key), None)


def _choices() -> list[tuple[str, str]]:
    choices = []
    for part in _PARTS:
        if not part.paired:
            choices.append((part.base, part.choice))
            continue
        for side in ("left", "right"):
            choices.append((f"{side}_{part.base}", part.choice.format(Side=side.capitalize())))
    return choices


REGION_CHOICES = _choices()
