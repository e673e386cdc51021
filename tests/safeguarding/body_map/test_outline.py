"""The body outline: where a point falls, named as a DSL would write it.

On the front view the child's left is on the viewer's right; on the back view it is on the
viewer's left, as on a paper body map.
"""

import pytest

from safeguarding.body_map import outline


@pytest.mark.parametrize(
    ("view", "x", "y", "name"),
    [
        ("front", 28, 44, "right forearm"),
        ("front", 72, 44, "left forearm"),
        ("back", 28, 44, "left forearm"),
        ("back", 72, 44, "right forearm"),
        ("front", 50, 8, "face"),
        ("back", 50, 8, "back of head"),
        ("front", 45, 25, "right chest"),
        ("back", 45, 25, "left upper back"),
        ("front", 50, 38, "abdomen"),
        ("back", 55, 48, "right buttock"),
        ("front", 45, 84, "right shin"),
        ("back", 45, 84, "left calf"),
    ],
)
def test_a_point_on_the_body_is_named_by_its_region(view, x, y, name):
    assert outline.region_at(view, x, y).name == name


@pytest.mark.parametrize(
    ("view", "x", "y"),
    [("front", 5, 5), ("front", 50, 99), ("back", 90, 50), ("front", -1, 40), ("back", 50, 101)],
)
def test_a_point_off_the_body_has_no_region(view, x, y):
    assert outline.region_at(view, x, y) is None


def test_an_unknown_view_has_no_regions():
    assert outline.region_at("side", 50, 8) is None
    assert outline.region("side", "head") is None


def test_every_region_can_be_chosen_without_a_mouse_and_its_centre_lies_within_it():
    keys = {key for key, _ in outline.REGION_CHOICES}
    for view in ("front", "back"):
        for key in keys:
            region = outline.region(view, key)
            assert region is not None, (view, key)
            assert outline.region_at(view, *region.centre) == region, (view, key)


def test_the_choices_describe_both_views():
    labels = dict(outline.REGION_CHOICES)
    assert labels["left_upper_torso"] == "Left chest or upper back"
    assert labels["head"] == "Head (face or back of head)"
