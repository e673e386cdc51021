"""The staff wellbeing figures governors read (policy section 3.7), protected as the governors'
summary is (``core.suppression.protect_table``).

Each row of the summary adds up: the coping answers add up to the answers that week (or term),
and so do the workload answers with those who did not answer it. A term adds up its weeks.
Hiding only the small counts would let a governor work one out by subtraction, so every row
and every term with its weeks is protected as a table, and a cell hidden in one table is
hidden in every table it belongs to, until no table hides anything more.
"""

import datetime
from collections.abc import Hashable
from dataclasses import dataclass

from core.suppression import HIDDEN, is_suppressed, protect_table
from governance import selectors
from governance.models import Coping, week_start_of
from schools.models import Term

NOT_ANSWERED = "Not answered"
TOTAL = "total"
# The wellbeing page lists this many weeks, this week included.
SUMMARY_WEEKS = 12


def summary_start(on: datetime.date) -> datetime.date:
    """The Monday of the first week the wellbeing page lists on ``on``."""
    return week_start_of(on) - datetime.timedelta(weeks=SUMMARY_WEEKS - 1)


@dataclass(frozen=True, slots=True)
class _Row:
    """One row of counts: a week, a term, or the weeks of a term the page does not list."""

    key: Hashable
    total: int
    coping: dict[str, int]
    workload: dict[str, int]
    listed: bool = True

    def counts(self, part: str) -> list[int]:
        return list(getattr(self, part).values())


def _row(key: Hashable, coping: dict[str, int], workload: dict[str, int]) -> _Row:
    total = sum(coping.values())
    return _Row(key, total, coping, {**workload, NOT_ANSWERED: total - sum(workload.values())})


def _rest(term: _Row, weeks: list[_Row]) -> _Row:
    """The term's weeks outside the page's weeks: the term less the weeks shown."""

    def less(part: str) -> dict[str, int]:
        return {
            label: n - sum(getattr(week, part)[label] for week in weeks)
            for label, n in getattr(term, part).items()
        }

    coping, workload = less("coping"), less("workload")
    return _Row(("rest", term.key), sum(coping.values()), coping, workload, listed=False)


def _protect(tables: list[tuple[list[_Row], _Row | None]]) -> set[tuple[Hashable, str, str]]:
    """The hidden cells, as (row key, "coping" or "workload", label) and (row key, "total",
    TOTAL). A table is rows with an optional row of their sums (a term)."""
    hidden: set[tuple[Hashable, str, str]] = set()
    changed = True
    while changed:
        changed = False
        for rows, sums in tables:
            every = rows + ([sums] if sums is not None else [])
            for part in ("coping", "workload"):
                labels = list(getattr(every[0], part))

                def cell(row: _Row, label: str, part: str = part) -> tuple[Hashable, str, str]:
                    # The total is one cell, shared by the coping and the workload rows.
                    return (row.key, TOTAL, TOTAL) if label == TOTAL else (row.key, part, label)

                hide = [
                    [not row.listed or cell(row, label) in hidden for label in [*labels, TOTAL]]
                    for row in every
                ]
                table = protect_table(
                    [row.counts(part) for row in rows],
                    row_totals=True,
                    column_totals=sums is not None,
                    hide=hide,
                )
                for r, row in enumerate(every):
                    for c, label in enumerate([*labels, TOTAL]):
                        if table.hidden[r][c] and cell(row, label) not in hidden:
                            hidden.add(cell(row, label))
                            changed = True
    return hidden


def _shown(row: _Row, hidden: set) -> dict[str, object]:
    """A row as the template shows it; a row with too few answers in all shows nothing."""
    if is_suppressed(row.total):
        return {"shown": False, "total": "", "coping": [], "workload": []}

    def text(part: str, label: str, n: int) -> str:
        return HIDDEN if (row.key, part, label) in hidden else f"{n:,}"

    return {
        "shown": True,
        "total": text(TOTAL, TOTAL, row.total),
        "coping": [(label, text("coping", label, n)) for label, n in row.coping.items()],
        "workload": [(label, text("workload", label, n)) for label, n in row.workload.items()],
    }


def pulse_figures(
    *, school_id: int, start: datetime.date, on: datetime.date
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The weeks from ``start`` to ``on`` with any answers (newest first) and the terms of the
    last year (latest first), each with its counts as governors may see them."""
    weeks = [
        (w["week_start"], _row(("week", w["week_start"]), w["coping"], w["workload"]))
        for w in selectors.wellbeing_weekly_rows(school_id=school_id, start=start, end=on)
    ]
    terms = []
    for term in Term.objects.filter(
        school_id=school_id, first_day__lte=on, last_day__gte=on - datetime.timedelta(days=366)
    ).order_by("-first_day"):
        counts = {"start": term.first_day, "end": min(term.last_day, on)}
        terms.append(
            (
                term,
                _row(
                    ("term", term.pk),
                    selectors.wellbeing_pulse_counts(school_id=school_id, **counts),
                    selectors.wellbeing_workload_counts(school_id=school_id, **counts),
                ),
            )
        )
    tables: list[tuple[list[_Row], _Row | None]] = []
    in_a_term: set[Hashable] = set()
    for term, sums in terms:
        # A week counts in a term when any of its days is in it (as the term's counts do).
        first, last = term.first_day - datetime.timedelta(days=6), min(term.last_day, on)
        its_weeks = [row for monday, row in weeks if first <= monday <= last]
        in_a_term.update(row.key for row in its_weeks)
        # Weeks of the term before the page's first week are not listed: their counts are
        # the term less the weeks listed, hidden. A term wholly on the page has none, and a
        # row of known zeros must not pass for a hidden one.
        rest = [_rest(sums, its_weeks)] if term.first_day < start else []
        # A term with no weeks to add up is a row on its own (and has no answers at all).
        tables.append((its_weeks + rest, sums) if its_weeks or rest else ([sums], None))
    tables += [([row], None) for _, row in weeks if row.key not in in_a_term]
    hidden = _protect(tables)
    return (
        [{"week_start": monday, **_shown(row, hidden)} for monday, row in weeks],
        [{"term": term, **_shown(row, hidden)} for term, row in terms],
    )


def term_coping(
    *, school_id: int, first_day: datetime.date, on: datetime.date
) -> list[tuple[str, str]]:
    """How staff are coping in the term beginning ``first_day`` as the wellbeing page shows it
    on ``on``, hidden cells and all: another page showing the same counts must hide what this
    one hides, or the two together would give a hidden count away. Every count is hidden
    when there are too few answers in all."""
    _, terms = pulse_figures(school_id=school_id, start=summary_start(on), on=on)
    for row in terms:
        if row["term"].first_day == first_day:
            if row["shown"]:
                return row["coping"]
            break
    return [(choice.label, HIDDEN) for choice in Coping]
