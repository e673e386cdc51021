"""The governance gates: each returns what the page needs, or refuses with one denial."""

from governance.models import FollowUp, PolicyStatus
from governance.permissions import (
    access_follow_up,
    access_monitoring,
    access_monitoring_list,
    access_monitoring_new,
    access_policy,
    access_policy_list,
    access_policy_new,
    access_policy_version,
    access_pulse,
    access_pulse_summary,
)
from tests.gate_checks import actor, refused
from tests.governance.factories import activity, document, version


def test_monitoring_is_read_and_worked_on_by_slt_of_its_scope(world):
    record = activity(world)
    assert access_monitoring(actor(world, "slt_class"), record.pk) == record
    assert access_monitoring(actor(world, "headteacher"), record.pk, to="act") == record


def test_monitoring_is_hidden_from_staff_outside_its_scope(world):
    record = activity(world)
    denial = refused(404, access_monitoring, actor(world, "teacher"), record.pk)
    assert (denial.subject_type, denial.subject_id) == (
        "governance.monitoringactivity",
        str(record.pk),
    )
    assert denial.user_id == world.users["teacher"].pk
    refused(404, access_monitoring, actor(world, "slt_other_site"), record.pk, to="act")
    refused(404, access_monitoring, actor(world, "headteacher"), 999999)


def test_governors_know_monitoring_took_place_but_are_refused_its_findings(world):
    record = activity(world)
    denial = refused(403, access_monitoring, actor(world, "governor"), record.pk)
    assert denial.detail == "governors see that monitoring took place, not its findings"
    refused(403, access_monitoring, actor(world, "chair"), record.pk, to="act")


def test_a_follow_up_is_marked_done_through_its_activitys_door(world):
    follow_up = FollowUp.objects.create(
        activity=activity(world),
        action="Check",
        owner=world.users["teacher"],
        recorded_by=world.users["headteacher"],
    )
    assert access_follow_up(actor(world, "slt_class"), follow_up.pk) == follow_up
    refused(403, access_follow_up, actor(world, "governor"), follow_up.pk)
    refused(404, access_follow_up, actor(world, "teacher"), follow_up.pk)
    refused(404, access_follow_up, actor(world, "headteacher"), 999999)


def test_the_monitoring_list_and_form(world):
    access_monitoring_list(actor(world, "governor"))
    access_monitoring_new(actor(world, "slt_class"))
    refused(404, access_monitoring_list, actor(world, "teacher"))
    refused(403, access_monitoring_new, actor(world, "chair"))
    refused(404, access_monitoring_new, actor(world, "teacher"))


def test_policies_are_read_by_leaders_and_drafted_by_the_headteacher(world):
    policy = document(world)
    assert access_policy(actor(world, "governor"), policy.pk) == policy
    assert access_policy(actor(world, "headteacher"), policy.pk, to="act") == policy
    denial = refused(403, access_policy, actor(world, "slt_class"), policy.pk, to="act")
    assert denial.subject_id == str(policy.pk)
    refused(404, access_policy, actor(world, "teacher"), policy.pk)
    refused(404, access_policy, actor(world, "other_school_head"), policy.pk, to="act")


def test_a_new_policy_goes_to_the_headteachers_school(world):
    assert access_policy_new(actor(world, "headteacher")) == world.school
    access_policy_list(actor(world, "slt_class"))
    refused(403, access_policy_new, actor(world, "governor"))
    refused(404, access_policy_new, actor(world, "teacher"))
    refused(404, access_policy_list, actor(world, "dpo"))


def test_each_step_of_a_version_is_one_persons(world):
    draft = version(world)
    reviewed = version(world, status=PolicyStatus.REVIEWED)
    assert access_policy_version(actor(world, "headteacher"), draft.pk, to="review") == draft
    assert access_policy_version(actor(world, "chair"), reviewed.pk, to="approve") == reviewed
    refused(403, access_policy_version, actor(world, "chair"), draft.pk, to="review")
    refused(403, access_policy_version, actor(world, "headteacher"), reviewed.pk, to="approve")
    refused(404, access_policy_version, actor(world, "teacher"), draft.pk, to="review")


def test_the_pulse_is_answered_by_staff_and_summed_up_for_governors(world):
    assert access_pulse(actor(world, "teacher")) == {world.school.pk}
    assert access_pulse_summary(actor(world, "chair")) == {world.school.pk}
    refused(404, access_pulse, actor(world, "governor"))
    refused(404, access_pulse_summary, actor(world, "teacher"))
