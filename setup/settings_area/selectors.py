"""Reads for the settings pages: a school's current values and its history of changes."""

from dataclasses import dataclass

from django.db.models import QuerySet

from schools.models import School
from setup.models import SettingChange
from setup.settings_area.registry import (
    GROUP_NOTES,
    GROUPS,
    REGISTRY,
    Setting,
    Value,
    models_in_registry,
)


def current_values(school: School) -> dict[str, Value]:
    """Every setting's value at this school (its default where the school chose none).

    One query per owning model, whatever the number of settings.
    """
    values: dict[str, Value] = {}
    for model in models_in_registry():
        settings = [s for s in REGISTRY if s.model is model]
        rows = list(model.objects.filter(school=school))
        for setting in settings:
            if setting.row is not None:
                name, kind = setting.row
                found = next((r for r in rows if getattr(r, name) == kind), None)
            else:
                found = rows[0] if rows else None
            values[setting.key] = getattr(found, setting.field) if found else setting.default
    return values


@dataclass(frozen=True, slots=True)
class SettingRow:
    setting: Setting
    value: Value

    @property
    def is_default(self) -> bool:
        return self.value == self.setting.default

    @property
    def shown(self) -> str:
        return self.setting.display(self.value)


def settings_page(school: School) -> list[tuple[str, str, list[SettingRow]]]:
    """The settings page's groups, each with its note and its settings and their values."""
    values = current_values(school)
    return [
        (
            group,
            GROUP_NOTES.get(group, ""),
            [SettingRow(s, values[s.key]) for s in REGISTRY if s.group == group],
        )
        for group in GROUPS
    ]


def changes_of(school: School, key: str | None = None) -> QuerySet[SettingChange]:
    """The school's changes, newest first (of one setting when ``key`` is given)."""
    changes = SettingChange.objects.filter(school=school).select_related("changed_by")
    if key is not None:
        changes = changes.filter(key=key)
    return changes.order_by("-changed_at", "-id")
