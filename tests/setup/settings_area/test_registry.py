"""The registry describes every per-school setting the rules read, once."""

import datetime

from django.apps import apps
from django.db import models

from cases.models import CLOSURE_CODES_SET_BY_REGULATION, AttendanceCodeChoice, CaseSettings
from contacts.models import ContactSettings
from dpo.models import RetentionRule
from safeguarding.models import SafeguardingSettings
from schools.models import School
from setup.settings_area.registry import GROUPS, REGISTRY, SETTINGS, models_in_registry

SETTINGS_MODELS = {CaseSettings, ContactSettings, SafeguardingSettings}
ROW_MODELS = {RetentionRule: "kind", AttendanceCodeChoice: "reason"}


def _value_fields(model: type[models.Model], *not_values: str) -> set[str]:
    return {
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in {"school", *not_values}
    }


def test_every_field_of_the_settings_models_has_a_descriptor():
    for model in SETTINGS_MODELS:
        described = {s.field for s in REGISTRY if s.model is model}
        missing = _value_fields(model) - described
        assert not missing, f"Describe {model.__name__}.{sorted(missing)} in the registry"


def test_every_kind_of_a_per_kind_setting_has_a_descriptor():
    for model, kind_field in ROW_MODELS.items():
        described = {(s.field, s.row[1]) for s in REGISTRY if s.model is model}
        expected = {
            (field, kind)
            for field in _value_fields(model, kind_field)
            for kind, _ in model._meta.get_field(kind_field).choices
            # The regulations, not the school, set these codes: there is nothing to choose.
            if not (model is AttendanceCodeChoice and kind in CLOSURE_CODES_SET_BY_REGULATION)
        }
        assert expected - described == set(), f"Describe these {model.__name__} rows"


def test_every_settings_model_of_a_school_is_in_the_registry():
    # A model holding one row of choices per school is a settings model: it needs descriptors.
    per_school = {
        model
        for model in apps.get_models()
        if any(
            isinstance(field, models.OneToOneField) and field.related_model is School
            for field in model._meta.concrete_fields
        )
    }
    assert per_school <= set(models_in_registry())
    assert set(models_in_registry()) == SETTINGS_MODELS | set(ROW_MODELS)


def test_each_setting_has_a_policy_reference_help_a_group_and_a_default_it_allows():
    assert len(SETTINGS) == len(REGISTRY)
    for setting in REGISTRY:
        assert setting.group in GROUPS
        assert setting.policy and setting.help_text and setting.label
        setting.check(setting.default)  # the default is always allowed
        if not setting.choices and not setting.is_bool:
            assert setting.minimum <= setting.maximum
        assert setting.model._meta.get_field(setting.field)


def test_values_are_shown_with_their_unit_and_kept_as_text():
    limit = SETTINGS["max_time_limit_school_days"]
    assert limit.display(30) == "30 school days"
    assert limit.display("1") == "1 school day"
    assert limit.allowed() == "1 to 190 school days"
    available = SETTINGS["available_from"]
    assert available.to_text(datetime.time(8, 45)) == "08:45"
    assert available.display_default == "08:45"
    assert SETTINGS["attendance_code_send_mh"].display_default == "Y7"
    counts = SETTINGS["family_report_counts_as_contact"]
    assert (counts.display_default, counts.to_text(True), counts.display("yes")) == (
        "No",
        "yes",
        "Yes",
    )
    assert counts.allowed() == "Yes or no"
    assert SETTINGS["retention_child_protection"].display_default == "25 years"
