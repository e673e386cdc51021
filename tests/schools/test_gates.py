"""The pupil gates: allowed returns the pupil, hidden is a 404 and read-only a 403, each
refusal with exactly one DENIED row."""

from core.actor import Actor
from schools.permissions import access_carer_contacts, access_pupil, access_pupil_list
from tests.gate_checks import refused


def _as(world, persona: str) -> Actor:
    return Actor.for_user(world.users[persona])


def test_the_pupil_list_opens_for_roles_that_see_pupils(world):
    assert access_pupil_list(_as(world, "teacher")) is None


def test_the_pupil_list_does_not_exist_for_governors(world):
    denial = refused(404, access_pupil_list, _as(world, "governor"))
    assert denial.detail == "no role that sees pupils"


def test_a_pupil_is_returned_with_what_the_person_may_do(world):
    pupil, access = access_pupil(_as(world, "teacher"), world.pupil.pk)
    assert pupil == world.pupil
    assert access.can_view and access.can_view_carer_contacts and not access.can_manage_shares


def test_a_hidden_pupil_is_a_404_naming_the_pupil(world):
    denial = refused(404, access_pupil, _as(world, "other_teacher"), world.pupil.pk)
    assert denial.detail == "pupil not visible to this person"
    assert (denial.subject_type, denial.subject_id) == ("schools.pupil", str(world.pupil.pk))
    assert denial.pupil_id == world.pupil.pk


def test_a_missing_pupil_is_the_same_404(world):
    denial = refused(404, access_pupil, _as(world, "teacher"), 999_999)
    assert denial.pupil_id is None


def test_another_app_names_what_it_refused(world):
    denial = refused(
        404, access_pupil, _as(world, "dpo"), world.pupil.pk, refusal="IT section: hidden"
    )
    assert denial.detail == "IT section: hidden"


def test_deciding_who_is_involved_is_for_the_dsl_team_and_headteacher(world):
    pupil, access = access_pupil(_as(world, "dsl"), world.pupil.pk, to="act")
    assert pupil == world.pupil and access.can_manage_shares
    denial = refused(403, access_pupil, _as(world, "teacher"), world.pupil.pk, to="act")
    assert denial.detail == "may not change who is involved"


def test_carers_contacts_are_for_roles_that_contact_families(world):
    assert access_carer_contacts(_as(world, "teacher"), world.pupil.pk) == world.pupil
    denial = refused(403, access_carer_contacts, _as(world, "it_staff"), world.pupil.pk)
    assert denial.detail == "may not see carers' contact details"
    refused(404, access_carer_contacts, _as(world, "other_teacher"), world.pupil.pk)
