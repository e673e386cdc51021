"""The closure gates: allowed returns what the page needs, hidden is a 404 and read-only a
403, each refusal with exactly one DENIED row."""

from cases.closures.permissions import (
    access_attendance_export,
    access_closing,
    access_closure_case,
    access_closure_list,
    access_closure_new,
    access_closure_overview,
    access_provision_row,
    access_provision_today,
)
from core.actor import Actor
from schools.calendar import today
from tests.cases.closures.matrix import world_closure, world_closure_case
from tests.gate_checks import refused


def _as(world, persona: str) -> Actor:
    return Actor.for_user(world.users[persona])


def test_the_pages_about_no_one_record_let_the_right_roles_through(world):
    assert access_closure_list(_as(world, "dsl")) is None
    assert access_closure_new(_as(world, "slt_class")) is None
    assert access_provision_today(_as(world, "class_staff")) is None
    assert access_attendance_export(_as(world, "headteacher")) is None


def test_the_pages_about_no_one_record_do_not_exist_for_others(world):
    it_staff = _as(world, "it_staff")
    assert refused(404, access_closure_list, it_staff).detail == (
        "closures: no role that reads cases"
    )
    assert refused(404, access_closure_new, _as(world, "teacher")).detail == (
        "closure: not SLT or headteacher"
    )
    assert refused(404, access_provision_today, _as(world, "dsl")).detail == (
        "provision today: no role that works on cases"
    )
    assert refused(404, access_attendance_export, _as(world, "teacher")).detail == (
        "attendance export: not SLT or headteacher"
    )


def test_a_leader_closes_only_what_they_lead(world):
    slt_class = _as(world, "slt_class")
    assert access_closing(slt_class, site=None, school_class=world.class_a) is None
    denial = refused(403, access_closing, slt_class, site=None, school_class=world.class_b)
    assert denial.detail == "closure: does not lead this site or class"


def test_the_class_overview_is_for_its_class_team_and_dsl(world):
    closure = world_closure(world)
    assert access_closure_overview(_as(world, "dsl"), closure.pk, world.class_a.pk) == (
        closure,
        world.class_a,
    )
    denial = refused(
        404, access_closure_overview, _as(world, "other_teacher"), closure.pk, world.class_a.pk
    )
    assert denial.detail == f"class overview: class {world.class_a.pk} not visible to this person"
    assert (denial.subject_type, denial.subject_id) == ("cases.closure", str(closure.pk))


def test_a_closure_case_is_worked_on_by_its_class_team(world):
    case = world_closure_case(world)
    assert access_closure_case(_as(world, "teacher"), case.pk, to="act") == case
    denial = refused(404, access_closure_case, _as(world, "other_teacher"), case.pk, to="act")
    assert denial.detail == "class overview: case not visible to this person"
    assert denial.pupil_id == world.pupil.pk
    denial = refused(
        403, access_closure_case, _as(world, "dsl"), case.pk, to="act", what="paper delivery"
    )
    assert denial.detail == "paper delivery: may read but not change"


def test_todays_provision_is_recorded_by_those_who_work_on_the_case(world):
    case = world_closure_case(world)
    row = access_provision_row(_as(world, "class_staff"), case.pk, today(), to="act")
    assert row.case == case
    denial = refused(404, access_provision_row, _as(world, "it_staff"), case.pk, today())
    assert denial.detail == "provision: case not visible to this person"
    denial = refused(403, access_provision_row, _as(world, "dsl"), case.pk, today(), to="act")
    assert denial.detail == "provision: may read but not record"
