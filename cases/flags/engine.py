"""The one engine for the scheduled flag rules of cases, contacts and safeguarding.

A rule is two statements whatever the number of cases, so it costs the same for a school with
ten cases as for one with ten thousand:

- a tidy-up ``UPDATE`` that resolves the open flags of its kind whose case no longer meets the
  rule for the flag's period (the case was closed, or a date moved, or the thing was done by a
  route that did not resolve the flag itself). The services resolve flags when they answer
  them; the tidy-up only catches what they could not see;
- a set-based ``INSERT INTO cases_flag ... SELECT ... ON CONFLICT (case_id, kind, period) DO
  NOTHING`` that raises one flag for every case meeting the rule today. The unique constraint
  on (case, kind, period) makes running it again raise nothing new; a flag someone resolved
  stays resolved for its period, and a new period raises a new flag.

Rules are written as SQL fragments over ``c`` (the case) and ``p`` (its pupil), naming tables
through ``{placeholders}`` filled from the models' ``_meta`` (never from input); every value
(kinds, statuses, dates, the time) is passed to the driver as a parameter. The statements run
unchanged on PostgreSQL and on SQLite 3.24 or later (which added ``ON CONFLICT``; SQLite needs
the ``WHERE`` clause the raise always has, to tell the upsert's ``ON`` from a join's).
"""

import datetime
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import models, transaction

from cases.models import Case, Flag, Status
from schools.models import Pupil, SchoolDay
from schools.sql import execute, now_param

logger = logging.getLogger(__name__)

NO_LONGER_APPLIES = "No longer applies"
# Statuses in which a case is running: reviews fall due, the time limit counts, contacts are due.
RUNNING_STATUSES = (Status.ACTIVE, Status.REINTEGRATING)

_RAISE = """
INSERT INTO {flag} (case_id, kind, period, raised_at, resolution)
SELECT c.id, %s, {period}, %s, ''
FROM {case} c
JOIN {pupil} p ON p.id = c.pupil_id
{joins}
WHERE {condition}
ON CONFLICT (case_id, kind, period) DO NOTHING
"""

_TIDY = """
UPDATE {flag} SET resolved_at = %s, resolution = %s
WHERE resolved_at IS NULL AND kind = %s AND NOT EXISTS (
    SELECT 1 FROM {case} c JOIN {pupil} p ON p.id = c.pupil_id
    {joins}
    WHERE c.id = {flag}.case_id AND {stands}
)
"""

# The tables every rule may name; a rule adds its own through FlagRule.tables.
_TABLES: dict[str, type[models.Model]] = {
    "flag": Flag,
    "case": Case,
    "pupil": Pupil,
    "school_day": SchoolDay,
}


@dataclass(frozen=True, slots=True)
class Sql:
    """A fragment of SQL and the parameters of its ``%s``, in order."""

    text: str = ""
    params: tuple[object, ...] = ()


def sql(text: str, *params: object) -> Sql:
    return Sql(text, params)


def all_of(*parts: Sql) -> Sql:
    """The fragments joined by AND, their parameters in the same order."""
    return Sql(
        " AND ".join(f"({part.text})" for part in parts),
        tuple(param for part in parts for param in part.params),
    )


def running() -> Sql:
    """The case is running."""
    return sql("c.status IN (%s, %s)", *RUNNING_STATUSES)


@dataclass(frozen=True, slots=True)
class FlagRule:
    """One scheduled rule, for one run.

    ``period``, ``joins`` and ``condition`` make the raise: the flag's period for a case
    (``c.next_review_date``, or a date parameter), the joins it needs beyond the case and its
    pupil, and which cases to flag today. ``stands`` (with ``stands_joins``) says whether an open
    flag still applies; it may name the flag's own period as ``{flag}.period``. ``tables`` names
    the models the fragments refer to beyond the flag, case, pupil and school day.
    """

    kind: str
    period: Sql
    condition: Sql
    stands: Sql
    joins: Sql = Sql()
    stands_joins: Sql = Sql()
    tables: Mapping[str, type[models.Model]] = field(default_factory=dict)


def period_rule(
    *,
    kind: str,
    period: str,
    condition: Sql,
    today: Sql,
    joins: Sql = Sql(),
    tables: Mapping[str, type[models.Model]] | None = None,
) -> FlagRule:
    """The common shape of a rule: raise ``kind`` for the cases meeting ``condition`` and
    ``today``, ``period`` (a column expression) giving the flag's period; a flag stands while
    its case still meets ``condition`` for the same period. ``today`` is left out of whether a
    flag stands, so a school changing a threshold does not withdraw flags already raised; and
    so is ``joins``, so ``condition`` names only the case and its pupil (and subqueries)."""
    return FlagRule(
        kind=kind,
        period=sql(period),
        joins=joins,
        condition=all_of(condition, today),
        stands=all_of(sql(f"{period} = {{flag}}.period"), condition),
        tables=tables or {},
    )


@dataclass(frozen=True, slots=True)
class RuleRun:
    raised: int
    tidied: int


def _fill(rule: FlagRule, template: str, **parts: Sql) -> str:
    """The statement with its table names and fragments filled in."""
    tables = {name: model._meta.db_table for name, model in {**_TABLES, **rule.tables}.items()}
    filled = {name: part.text.format(**tables) for name, part in parts.items()}
    return template.format(**tables, **filled)


@transaction.atomic
def rule_run(rule: FlagRule) -> RuleRun:
    """Resolve the open flags of the rule's kind that no longer stand, then raise one for every
    case meeting the rule today. Two statements, whatever the number of cases."""
    tidied = execute(
        _fill(rule, _TIDY, joins=rule.stands_joins, stands=rule.stands),
        [now_param(), NO_LONGER_APPLIES, rule.kind, *rule.stands_joins.params, *rule.stands.params],
    )
    raised = execute(
        _fill(rule, _RAISE, period=rule.period, joins=rule.joins, condition=rule.condition),
        [
            rule.kind,
            *rule.period.params,
            now_param(),
            *rule.joins.params,
            *rule.condition.params,
        ],
    )
    logger.info("Flag rule %s: %s raised, %s no longer apply", rule.kind, raised, tidied)
    return RuleRun(raised=raised, tidied=tidied)


def rules_run(
    rules: Mapping[str, Callable[[datetime.date], int]], today: datetime.date, label: str
) -> dict[str, int]:
    """Run each of ``rules`` (kind: the function running it for a day); the flags each raised."""
    counts = {str(kind): rule(today) for kind, rule in rules.items()}
    logger.info("%s rules for %s raised %s", label, today.isoformat(), counts)
    return counts
