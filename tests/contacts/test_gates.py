"""The contacts gates: allowed returns the case, hidden is a 404 and read-only a 403, each
refusal with exactly one DENIED row."""

from contacts.permissions import access_case_contacts, access_contact_plan, access_today
from core.actor import Actor
from schools.calendar import today
from tests.cases.matrix import open_case_for
from tests.gate_checks import refused


def _as(world, persona: str) -> Actor:
    return Actor.for_user(world.users[persona])


def test_today_is_for_those_who_contact_families(world):
    assert access_today(_as(world, "teacher"), today()) is None
    denial = refused(404, access_today, _as(world, "dsl"), today())
    assert denial.detail == "today: no role that contacts families"


def test_the_contact_history_is_read_by_those_who_read_the_case(world):
    case = open_case_for(world)
    assert access_case_contacts(_as(world, "dsl"), case.pk) == case
    denial = refused(404, access_case_contacts, _as(world, "other_teacher"), case.pk)
    assert denial.detail == "contact history: case not visible to this person"
    assert (denial.subject_type, denial.pupil_id) == ("cases.case", world.pupil.pk)


def test_contacts_are_logged_by_those_who_work_on_the_case(world):
    case = open_case_for(world)
    assert access_case_contacts(_as(world, "teacher"), case.pk, to="act") == case
    denial = refused(404, access_case_contacts, _as(world, "it_staff"), case.pk, to="act")
    assert denial.detail == "log contact: case not visible to this person"
    denial = refused(403, access_case_contacts, _as(world, "dsl"), case.pk, to="act")
    assert denial.detail == "log contact: may read but not log"


def test_the_contact_plan_is_decided_by_the_dsl_team_and_headteacher(world):
    case = open_case_for(world)
    assert access_contact_plan(_as(world, "dsl"), case.pk) == case
    denial = refused(403, access_contact_plan, _as(world, "teacher"), case.pk)
    assert denial.detail == "contact plan: not the DSL team or headteacher"
    denial = refused(404, access_contact_plan, _as(world, "governor"), case.pk)
    assert denial.detail == "contact plan: case not visible to this person"
