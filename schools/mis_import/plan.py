"""What an import would change: the row errors, the changes and what is not in the file."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

# A file in the wrong layout can produce an error on every cell; past this many the rest are
# counted, not listed, so the report stays readable. Changes are capped the same way.
MAX_LISTED = 1000

CREATED, UPDATED, UNCHANGED, NOT_IN_FILE = "created", "updated", "unchanged", "not_in_file"


@dataclass(frozen=True, slots=True)
class RowError:
    line: int | None  # line 1 is the header; None for the file as a whole
    column: str
    reason: str


@dataclass(slots=True)
class Change:
    kind: str  # what is written: "class", "pupil", "staff account", "membership"…
    action: str
    line: int
    label: str
    obj: models.Model
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


@dataclass(slots=True)
class Plan:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    not_in_file: list[tuple[str, str]] = field(default_factory=list)

    def add(self, kind: str, line: int, label: str, obj: models.Model, fields=None) -> None:
        action = CREATED if obj.pk is None else UPDATED if fields else UNCHANGED
        self.changes.append(Change(kind, action, line, label, obj, fields or []))

    def counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        actions = (CREATED, UPDATED, UNCHANGED, NOT_IN_FILE)
        for kind, action in [(c.kind, c.action) for c in self.changes] + [
            (kind, NOT_IN_FILE) for kind, _label in self.not_in_file
        ]:
            counts.setdefault(kind, dict.fromkeys(actions, 0))[action] += 1
        return counts

    def summary(self) -> str:
        """Counts only, never names: this is what goes into the audit and the logs."""
        parts = []
        for kind, numbers in self.counts().items():
            done = ", ".join(
                f"{n} {action.replace('_', ' ')}" for action, n in numbers.items() if n
            )
            parts.append(f"{kind}: {done}")
        return "; ".join(parts) or "nothing to import"

    def report(self) -> dict[str, object]:
        """The JSON kept on the MisImport run and shown on its page."""
        changed = [c for c in self.changes if c.action != UNCHANGED]
        return {
            "rows": self.rows,
            "errors": [
                {"line": e.line, "column": e.column, "reason": e.reason}
                for e in self.errors[:MAX_LISTED]
            ],
            "errors_not_listed": max(0, len(self.errors) - MAX_LISTED),
            "counts": self.counts(),
            "changes": [
                {
                    "line": c.line,
                    "kind": c.kind,
                    "action": c.action,
                    "label": c.label,
                    "fields": [list(f) for f in c.fields],
                }
                for c in changed[:MAX_LISTED]
            ],
            "changes_not_listed": max(0, len(changed) - MAX_LISTED),
            "not_in_file": [{"kind": k, "label": label} for k, label in self.not_in_file],
        }


def _show(obj: models.Model, name: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    model_field = obj._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def assign(obj: models.Model, values: dict[str, object]) -> list[tuple[str, str, str]]:
    """Set ``values`` on ``obj`` (in memory) and return what changed, for the report."""
    changed = []
    for name, value in values.items():
        try:
            old = getattr(obj, name)
        except ObjectDoesNotExist:  # a new record's foreign key that is not set yet
            old = None
        if old != value:
            if obj.pk is not None:
                label = str(obj._meta.get_field(name).verbose_name)
                changed.append((label, _show(obj, name, old), _show(obj, name, value)))
            setattr(obj, name, value)
    return changed
