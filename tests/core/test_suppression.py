"""Small numbers are hidden from governors' figures."""

import pytest
from django.template import engines

from core.suppression import suppressed, suppressed_share


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "fewer than 3"), (1, "fewer than 3"), (2, "fewer than 3"), (3, "3"), (1234, "1,234")],
)
def test_counts_below_three_are_not_shown(count, shown):
    assert suppressed(count) == shown


def test_the_threshold_is_configurable(settings):
    settings.SMALL_NUMBER_THRESHOLD = 5
    assert suppressed(4) == "fewer than 5"
    assert suppressed(5) == "5"


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (10, 20, "10 of 20 (50%)"),
        (2, 20, "not shown (too few to show safely) of 20"),
        (19, 20, "not shown (too few to show safely) of 20"),
        (1, 2, "not shown (fewer than 3 in all)"),
    ],
)
def test_a_share_hides_a_small_part_or_a_small_remainder(part, whole, shown):
    assert suppressed_share(part, whole) == shown


def test_template_filter_and_tag():
    template = engines["django"].from_string(
        "{% load figures %}{{ a|suppressed }} / {% suppressed_share b c %}"
    )
    assert template.render({"a": 1, "b": 6, "c": 12}) == "fewer than 3 / 6 of 12 (50%)"


def test_staff_figures_are_shown_in_full():
    from core.suppression import share_of

    assert share_of(31, 32) == "31 of 32 (97%)"
    assert share_of(0, 0) == "none to count"
