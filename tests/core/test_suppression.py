"""Small numbers are hidden from governors' figures."""

import pytest
from django.template import engines
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.suppression import HIDDEN, protect_table, suppressed, suppressed_share


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


# --- Complementary suppression over tables with totals ---------------------------------------


def lines_of(table) -> list[list[tuple[int, int]]]:
    """Every (row, column) group of cells that adds up to a shown or hidden total, the
    total last."""
    rows, columns = len(table.values), len(table.values[0])
    lines = []
    if table.row_totals:
        lines += [[(r, c) for c in range(columns)] for r in range(rows)]
    if table.column_totals:
        lines += [[(r, c) for r in range(rows)] for c in range(columns)]
    return lines


def derivable_by_one_subtraction(table) -> list[tuple[int, int]]:
    """Hidden cells that a reader could work out from one line: the only hidden entry of a
    line whose other entries (and total) are shown."""
    found = []
    for line in lines_of(table):
        hidden = [at for at in line if table.hidden[at[0]][at[1]]]
        if len(hidden) == 1:
            found.append(hidden[0])
    return found


tables = st.integers(min_value=1, max_value=4).flatmap(
    lambda rows: st.integers(min_value=1, max_value=4).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(min_value=0, max_value=12), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


@hypothesis_settings(max_examples=400, deadline=None)
@given(body=tables, row_totals=st.booleans(), column_totals=st.booleans())
def test_no_hidden_cell_can_be_worked_out_by_one_subtraction(body, row_totals, column_totals):
    table = protect_table(body, row_totals=row_totals, column_totals=column_totals)

    assert derivable_by_one_subtraction(table) == []
    # Every small count (zero included) is hidden, totals too; the totals add up.
    for r, row in enumerate(table.values):
        for c, value in enumerate(row):
            if value < 3:
                assert table.hidden[r][c]
            assert table.text(r, c) == (HIDDEN if table.hidden[r][c] else f"{value:,}")
    if row_totals:
        assert [row[-1] for row in table.values] == [sum(row[:-1]) for row in table.values]
    if column_totals:
        assert table.values[-1] == [
            sum(row[c] for row in table.values[:-1]) for c in range(len(table.values[0]))
        ]


def test_the_next_smallest_cell_in_the_line_is_hidden_too():
    # Sites of 2, 9 and 5 with the whole school's 16 shown: hiding only the 2 would let
    # anyone work it out as 16 - 9 - 5, so the 5 is hidden with it.
    table = protect_table([[2], [9], [5]], column_totals=True)

    assert [table.text(r, 0) for r in range(4)] == [HIDDEN, "9", HIDDEN, "16"]


def test_a_total_of_one_hidden_cell_is_hidden_with_it():
    table = protect_table([[5]], row_totals=True, hide=[[True, False]])

    assert table.hidden == [[True, True]]
    assert protect_table([[1, 7]], row_totals=True).hidden == [[True, True, False]]


def test_hiding_spreads_across_rows_and_columns_until_no_line_has_a_single_gap():
    # The 1 hides the 4 beside it (its row); that leaves the first two columns with one gap
    # each, so the 8 and the 6 below them go too.
    table = protect_table([[1, 4, 9], [8, 6, 10]], row_totals=True, column_totals=True)

    assert derivable_by_one_subtraction(table) == []
    assert [[table.hidden[r][c] for c in range(3)] for r in range(2)] == [
        [True, True, False],
        [True, True, False],
    ]


def test_cells_hidden_for_another_reason_count_as_hidden():
    table = protect_table(
        [[7], [9], [5]], column_totals=True, hide=[[False], [True], [False], [False]]
    )

    assert [table.hidden[r][0] for r in range(4)] == [False, True, True, False]


def test_a_table_without_totals_hides_only_the_small_counts():
    table = protect_table([[1, 7], [4, 0]])

    assert table.hidden == [[True, False], [False, True]]
