"""Changing a setting: range checked at the field, a reason required, the owning model
updated, a version and an audit row written, all or nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.models import AttendanceCodeChoice, CaseSettings, Reason
from cases.selectors import case_settings_of
from cases.services import attendance_code_for
from contacts.models import ContactSettings
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from dpo.models import RetentionKind, RetentionRule
from safeguarding.models import SafeguardingSettings
from setup.models import SettingChange
from setup.settings_area.selectors import current_values
from setup.settings_area.services import REASON_REQUIRED, UNCHANGED, school_setting_change
from tests.factories import SchoolFactory, UserFactory


@pytest.fixture
def school(db):
    return SchoolFactory()


@pytest.fixture
def head(db):
    return UserFactory(full_name="Morgan Reyes")


def change(school, head, key, value, reason="The governors agreed it."):
    return school_setting_change(
        actor=Actor.for_user(head), school=school, key=key, value=value, reason=reason
    )


def _refusal(school, head, key, value, reason="Because.") -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        change(school, head, key, value, reason)
    return refused.value.message_dict


def _nothing_written() -> None:
    assert not SettingChange.objects.exists()
    assert not AccessEvent.objects.filter(action=AccessAction.CHANGE).exists()
    assert not CaseSettings.objects.exists()
    assert not ContactSettings.objects.exists()
    assert not RetentionRule.objects.exists()


def test_a_change_updates_the_rules_setting_and_keeps_the_old_value_and_why(school, head):
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 30, tzinfo=dt.UTC), tick=False):
        written = change(school, head, "review_interval_school_days", 5, "Weekly reviews.")
    assert case_settings_of(school).review_interval_school_days == 5
    assert (written.key, written.old_value, written.new_value) == (
        "review_interval_school_days",
        "10",
        "5",
    )
    assert written.reason == "Weekly reviews."
    assert written.changed_by == head
    assert written.changed_at == dt.datetime(2026, 11, 2, 10, 30, tzinfo=dt.UTC)
    audit = AccessEvent.objects.get(action=AccessAction.CHANGE)
    assert (audit.subject_type, audit.subject_id) == ("setup.settingchange", str(written.pk))
    assert audit.user_id == head.pk
    assert audit.detail == "school setting review_interval_school_days"


def test_each_change_is_a_new_version_from_the_value_before_it(school, head):
    change(school, head, "max_session_minutes", 45)
    change(school, head, "max_session_minutes", 90)
    versions = list(
        SettingChange.objects.order_by("id").values_list("old_value", "new_value", flat=False)
    )
    assert versions == [("60", "45"), ("45", "90")]
    assert SafeguardingSettings.objects.get(school=school).max_session_minutes == 90


def test_a_value_outside_the_range_is_refused_at_the_field_and_nothing_is_written(school, head):
    errors = _refusal(school, head, "max_time_limit_school_days", 365)
    assert errors == {"value": ["Choose a number from 1 to 190 school days."]}
    errors = _refusal(school, head, "available_from", dt.time(5, 0))
    assert errors == {"value": ["Choose a time from 07:00 to 18:00."]}
    errors = _refusal(school, head, "retention_child_protection", 10)
    assert errors == {"value": ["Choose a number from 25 to 100 years."]}
    errors = _refusal(school, head, "attendance_code_send_mh", "B")
    assert errors == {"value": ["Choose one of the codes listed."]}
    _nothing_written()


def test_a_reason_is_required(school, head):
    assert _refusal(school, head, "review_interval_school_days", 5, "   ") == {
        "reason": [REASON_REQUIRED]
    }
    _nothing_written()


def test_setting_the_value_it_already_has_is_refused(school, head):
    assert _refusal(school, head, "review_interval_school_days", 10) == {"value": [UNCHANGED]}
    _nothing_written()


def test_availability_must_start_before_it_ends(school, head):
    errors = _refusal(school, head, "available_from", dt.time(16, 0))
    assert errors == {"value": ["Must be earlier than “Teachers available until” (15:25)."]}
    errors = _refusal(school, head, "available_until", dt.time(8, 0))
    assert errors == {"value": ["Must be later than “Teachers available from” (08:45)."]}
    _nothing_written()
    change(school, head, "available_until", dt.time(16, 0))
    change(school, head, "available_from", dt.time(15, 30))
    assert current_values(school)["available_from"] == dt.time(15, 30)


def test_a_retention_period_is_kept_as_the_schools_rule(school, head):
    written = change(school, head, "retention_case", 8)
    assert (written.old_value, written.new_value) == ("6", "8")
    assert RetentionRule.objects.get(school=school, kind=RetentionKind.CASE).years == 8
    assert current_values(school)["retention_child_protection"] == 25


def test_the_attendance_code_chosen_is_the_one_cases_use(school, head):
    assert attendance_code_for(school, Reason.SEND_OR_MENTAL_HEALTH) == "Y7"
    written = change(school, head, "attendance_code_send_mh", "C")
    assert (written.old_value, written.new_value) == ("Y7", "C")
    assert attendance_code_for(school, Reason.SEND_OR_MENTAL_HEALTH) == "C"
    assert AttendanceCodeChoice.objects.get(school=school).reason == Reason.SEND_OR_MENTAL_HEALTH


def test_an_unknown_setting_is_refused(school, head):
    assert _refusal(school, head, "no_such_setting", 1) == {"value": ["There is no such setting."]}


def test_one_schools_change_leaves_another_school_alone(school, head):
    other = SchoolFactory()
    change(school, head, "no_response_attempts", 5)
    assert current_values(other)["no_response_attempts"] == 3
    assert current_values(school)["no_response_attempts"] == 5


def test_no_code_can_be_chosen_for_a_closure_for_safety(school, head):
    assert _refusal(school, head, "attendance_code_unsafe", "I") == {
        "value": ["There is no such setting."]
    }
    _nothing_written()


def test_a_yes_or_no_setting_is_changed_and_kept_as_yes_or_no(school, head):
    written = change(school, head, "family_report_counts_as_contact", True)
    assert (written.old_value, written.new_value) == ("no", "yes")
    assert ContactSettings.objects.get(school=school).family_report_counts_as_contact is True
    assert "value" in _refusal(school, head, "family_report_counts_as_contact", True)
    assert "value" in _refusal(school, head, "family_report_counts_as_contact", 1)
