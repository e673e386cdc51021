"""Changing a school's settings: each change a version (who, when, old, new, why) and an
audit row, written with the new value in one transaction."""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.models import School
from setup.models import SettingChange
from setup.settings_area.registry import SETTINGS, Setting, Value

REASON_REQUIRED = "Say why this setting is changing."
UNCHANGED = "That is already the setting. Choose a different value, or leave it as it is."


def _owning_record(school: School, setting: Setting) -> tuple[models.Model, Value]:
    """The record holding the setting, locked until the change commits, and its value now
    (the default while the school has chosen none)."""
    if setting.row is not None:
        name, kind = setting.row
        found = (
            setting.model.objects.select_for_update().filter(school=school, **{name: kind}).first()
        )
        if found is None:
            return setting.model(school=school, **{name: kind}), setting.default
        return found, getattr(found, setting.field)
    created, _ = setting.model.objects.get_or_create(school=school)
    record = setting.model.objects.select_for_update().get(pk=created.pk)
    return record, getattr(record, setting.field)


def _check_order(setting: Setting, record: models.Model) -> None:
    """Settings that must come before another (availability starts before it ends)."""
    for earlier in SETTINGS.values():
        if not earlier.before or setting.key not in (earlier.key, earlier.before):
            continue
        later = SETTINGS[earlier.before]
        start, end = getattr(record, earlier.field), getattr(record, later.field)
        if start < end:
            continue
        if setting is earlier:
            message = f"Must be earlier than “{later.label}” ({later.display(end)})."
        else:
            message = f"Must be later than “{earlier.label}” ({earlier.display(start)})."
        raise ValidationError({"value": message})


@transaction.atomic
def school_setting_change(
    *, actor: Actor, school: School, key: str, value: Value, reason: str
) -> SettingChange:
    """Set one of the school's settings to ``value``, keeping the old value and why."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise ValidationError({"value": "There is no such setting."})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    setting.check(value)
    record, old = _owning_record(school, setting)
    if value == old:
        raise ValidationError({"value": UNCHANGED})
    setattr(record, setting.field, value)
    _check_order(setting, record)
    record.full_clean()
    record.save()
    change = SettingChange(
        school=school,
        key=key,
        old_value=setting.to_text(old),
        new_value=setting.to_text(value),
        reason=reason,
        changed_by=actor.user,
    )
    change.full_clean()
    change.save()
    access_record(
        action=AccessAction.CHANGE, actor=actor, subject=change, detail=f"school setting {key}"
    )
    return change
