"""Small numbers are not shown to people who must not be able to single a pupil out.

Governors see only aggregates (policy section 3.7), and a count of one or two children with a
given reason or concern can identify them in a small special school. Any count below the
threshold (settings.SMALL_NUMBER_THRESHOLD, 3 unless configured) is shown as "fewer than 3",
zero included, so that "0" and "fewer than 3" cannot be told apart by subtraction.

In a table whose rows or columns add up to totals (sites that add up to the whole school),
hiding the small cells is not enough: the total less the shown cells would give a hidden one
away. ``protect_table`` hides more cells until no hidden one can be worked out that way.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings


def threshold() -> int:
    return int(getattr(settings, "SMALL_NUMBER_THRESHOLD", 3))


def is_suppressed(count: int) -> bool:
    return count < threshold()


def suppressed(count: int) -> str:
    """The count as governors may see it."""
    if is_suppressed(count):
        return f"fewer than {threshold()}"
    return f"{count:,}"


def suppressed_share(part: int, whole: int) -> str:
    """A part of a whole as "n of m (p%)", hiding the part when it or what is left of the
    whole is small (either would single out a few people)."""
    if is_suppressed(whole):
        return f"not shown (fewer than {threshold()} in all)"
    if is_suppressed(part) or is_suppressed(whole - part):
        return f"not shown (too few to show safely) of {whole:,}"
    return f"{part:,} of {whole:,} ({round(100 * part / whole)}%)"


def share_of(part: int, whole: int) -> str:
    """A part of a whole in full, for figures about staff and the school's safeguards (MFA,
    device declarations) rather than about children: governors need to see "31 of 32"."""
    if whole == 0:
        return "none to count"
    return f"{part:,} of {whole:,} ({round(100 * part / whole)}%)"


# --- Tables: complementary suppression ---------------------------------------------------------

# One word for every hidden cell of a table, whatever the reason it is hidden: a cell hidden
# only to protect another must not be told apart from a small one, or subtracting would
# still narrow the small one down.
HIDDEN = "not shown"

Position = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ProtectedTable:
    """A table of counts with its totals and which cells may not be shown.

    ``values`` holds the body with its totals: a last column of row totals when
    ``row_totals``, a last row of column totals when ``column_totals`` (its last cell the
    grand total when both)."""

    values: list[list[int]]
    hidden: list[list[bool]]
    row_totals: bool
    column_totals: bool

    def text(self, row: int, column: int) -> str:
        if self.hidden[row][column]:
            return HIDDEN
        return f"{self.values[row][column]:,}"

    def shown(self, row: int, column: int) -> bool:
        return not self.hidden[row][column]


def with_totals(
    body: Sequence[Sequence[int]], *, row_totals: bool, column_totals: bool, columns: int = 0
) -> list[list[int]]:
    """The body with a column of row totals and/or a row of column totals added; ``columns``
    is the body's width when it has no rows (a school with no sites yet)."""
    values = [list(row) + ([sum(row)] if row_totals else []) for row in body]
    if column_totals:
        width = len(values[0]) if values else columns + row_totals
        values.append([sum(row[c] for row in values) for c in range(width)])
    return values


def _lines(rows: int, columns: int, *, row_totals: bool, column_totals: bool) -> list:
    """Each group of cells that adds up to a total, the total last."""
    lines: list[list[Position]] = []
    if row_totals:
        lines += [[(r, c) for c in range(columns)] for r in range(rows)]
    if column_totals:
        lines += [[(r, c) for r in range(rows)] for c in range(columns)]
    return lines


def protect_table(
    body: Sequence[Sequence[int]],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    hide: Sequence[Sequence[bool]] | None = None,
    columns: int = 0,
) -> ProtectedTable:
    """Hide every count below the threshold (totals included), then keep hiding until no
    hidden cell can be worked out by one subtraction from a shown total and the shown cells
    beside it.

    A row or column that adds up to a total and has exactly one hidden entry gives that entry
    away, so a second one is hidden: its smallest shown cell (the least information lost),
    or its total when every cell is already hidden. Hiding that cell can leave a single gap
    in the line across it, so this repeats until no line has one; each pass hides at least
    one more cell, so it ends. ``hide`` marks further cells (same shape as the table with
    its totals) hidden for reasons of the caller's, such as a small remainder.
    """
    values = with_totals(body, row_totals=row_totals, column_totals=column_totals, columns=columns)
    hidden = [
        [is_suppressed(value) or bool(hide and hide[r][c]) for c, value in enumerate(row)]
        for r, row in enumerate(values)
    ]
    rows, columns = len(values), len(values[0]) if values else 0
    lines = _lines(rows, columns, row_totals=row_totals, column_totals=column_totals)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[r][c] for r, c in line) != 1:
                continue
            cells = [(values[r][c], (r, c)) for r, c in line[:-1] if not hidden[r][c]]
            r, c = min(cells)[1] if cells else line[-1]
            hidden[r][c] = True
            changed = True
    return ProtectedTable(values, hidden, row_totals, column_totals)


@dataclass(frozen=True, slots=True)
class ProtectedShares:
    """A table of shares ("made of due"): the parts and the wholes, each with its totals."""

    parts: ProtectedTable
    wholes: ProtectedTable

    def shown(self, row: int, column: int) -> bool:
        return self.parts.shown(row, column)

    def text(self, row: int, column: int) -> str:
        part, whole = self.parts.values[row][column], self.wholes.values[row][column]
        if self.wholes.hidden[row][column]:
            return HIDDEN
        if self.parts.hidden[row][column]:
            return f"{HIDDEN} of {whole:,}"
        return f"{part:,} of {whole:,} ({round(100 * part / whole)}%)"


def protect_shares(
    parts: Sequence[Sequence[int]],
    wholes: Sequence[Sequence[int]],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    columns: int = 0,
) -> ProtectedShares:
    """Shares whose parts and wholes both add up to totals. The wholes are protected as a
    table; a part is hidden when its whole is, or when it or what is left of the whole is
    small (either would single a few people out), and the parts are then protected as a
    table too. A hidden part hides its remainder with it, so the remainders (wholes less
    parts) have no single gap either."""
    shape = {"row_totals": row_totals, "column_totals": column_totals, "columns": columns}
    whole_table = protect_table(wholes, **shape)
    part_values = with_totals(parts, **shape)
    hide = [
        [
            whole_table.hidden[r][c] or is_suppressed(whole_table.values[r][c] - part)
            for c, part in enumerate(row)
        ]
        for r, row in enumerate(part_values)
    ]
    return ProtectedShares(protect_table(parts, **shape, hide=hide), whole_table)
