"""The case gates: allowed returns the case, hidden is a 404 and read-only a 403, each
refusal with exactly one DENIED row."""

from cases.permissions import (
    access_case,
    access_case_list,
    access_case_proposal,
    access_case_step,
)
from core.actor import Actor
from tests.cases.matrix import open_case_for, step_for
from tests.gate_checks import refused


def _as(world, persona: str) -> Actor:
    return Actor.for_user(world.users[persona])


def test_the_case_list_is_for_roles_that_read_cases(world):
    assert access_case_list(_as(world, "dsl")) is None
    assert refused(404, access_case_list, _as(world, "it_staff")).detail == (
        "no role that sees cases"
    )


def test_proposing_is_for_those_who_work_on_cases(world):
    assert access_case_proposal(_as(world, "teacher")) is None
    assert refused(404, access_case_proposal, _as(world, "governor")).detail == (
        "no role that proposes cases"
    )
    assert refused(403, access_case_proposal, _as(world, "dsl")).detail == (
        "may read cases, not propose them"
    )


def test_a_case_is_returned_to_those_who_read_or_work_on_it(world):
    case = open_case_for(world)
    assert access_case(_as(world, "dsl"), case.pk) == case
    assert access_case(_as(world, "teacher"), case.pk, to="act") == case


def test_a_hidden_case_is_a_404_naming_the_case(world):
    case = open_case_for(world)
    denial = refused(404, access_case, _as(world, "other_teacher"), case.pk)
    assert denial.detail == "case not visible to this person"
    assert (denial.subject_type, denial.subject_id) == ("cases.case", str(case.pk))
    assert denial.pupil_id == world.pupil.pk
    assert refused(404, access_case, _as(world, "teacher"), 999_999).pupil_id is None


def test_the_dsl_team_reads_a_case_but_may_not_work_on_it(world):
    case = open_case_for(world)
    denial = refused(403, access_case, _as(world, "dsl"), case.pk, to="act")
    assert denial.detail == "may read this case but not work on it"


def test_a_step_is_found_only_on_its_own_case(world):
    case, step = step_for(world)
    assert access_case_step(_as(world, "teacher"), case, step.pk) == step
    other = open_case_for(world, world.other_pupil)
    denial = refused(404, access_case_step, _as(world, "teacher"), other, step.pk)
    assert denial.detail == "step not part of this case"
    assert denial.pupil_id == world.other_pupil.pk
