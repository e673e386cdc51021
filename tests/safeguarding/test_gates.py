"""The concern gates: the one door each concern page uses to get its record."""

from safeguarding.permissions import (
    access_action,
    access_chronology,
    access_concern,
    access_concern_raising,
    access_concern_receipt,
)
from tests.gate_checks import actor, refused
from tests.safeguarding.matrix_concerns import action_for, concern_for


def test_the_dsl_gets_the_concern_to_read_and_act_on(world):
    concern = concern_for(world)
    assert access_concern(actor(world, "dsl"), concern.pk) == concern
    assert access_concern(actor(world, "headteacher"), concern.pk, to="act") == concern


def test_a_concern_hidden_from_a_person_is_a_404_with_one_denied_row(world):
    concern = concern_for(world)
    row = refused(404, lambda: access_concern(actor(world, "other_teacher"), concern.pk))
    assert row.detail == "concern not visible to this person"
    assert row.subject_type == "safeguarding.concern"
    assert row.subject_id == str(concern.pk)
    assert row.pupil_id == world.pupil.pk


def test_a_concern_that_does_not_exist_is_the_same_404(world):
    row = refused(404, lambda: access_concern(actor(world, "dsl"), 999_999))
    assert row.detail == "concern not visible to this person"
    assert row.pupil_id is None


def test_the_reporter_gets_the_receipt_but_a_403_on_its_handling(world):
    concern = concern_for(world)
    reporter = actor(world, "teacher")
    assert access_concern_receipt(reporter, concern.pk) == concern
    row = refused(403, lambda: access_concern(reporter, concern.pk))
    assert row.detail == "reporter may see the receipt only"
    assert row.pupil_id == world.pupil.pk


def test_the_receipt_is_hidden_from_everyone_else(world):
    concern = concern_for(world)
    refused(404, lambda: access_concern_receipt(actor(world, "deputy_dsl_other_site"), concern.pk))


def test_an_action_comes_with_its_concern_for_the_dsl(world):
    action = action_for(world)
    assert access_action(actor(world, "dsl"), action.pk) == (action, action.concern)


def test_an_action_that_does_not_exist_is_a_404_with_one_denied_row(world):
    row = refused(404, lambda: access_action(actor(world, "dsl"), 999_999))
    assert (row.subject_type, row.detail) == ("safeguarding.action", "no such action")


def test_the_reporter_gets_a_403_on_an_action(world):
    action = action_for(world)
    refused(403, lambda: access_action(actor(world, "teacher"), action.pk))


def test_anyone_who_sees_the_pupil_may_raise_a_concern_about_them(world):
    assert access_concern_raising(actor(world, "class_staff"), world.pupil) == world.pupil


def test_raising_a_concern_about_a_hidden_pupil_is_a_404_with_one_denied_row(world):
    row = refused(404, lambda: access_concern_raising(actor(world, "other_teacher"), world.pupil))
    assert row.detail == "may not raise a concern about this pupil"
    refused(404, lambda: access_concern_raising(actor(world, "teacher"), None))


def test_the_chronology_is_for_the_dsl_team_and_the_headteacher(world):
    assert access_chronology(actor(world, "dsl"), world.pupil.pk) == world.pupil
    row = refused(404, lambda: access_chronology(actor(world, "teacher"), world.pupil.pk))
    assert row.detail == "safeguarding chronology not visible to this person"
    assert row.pupil_id == world.pupil.pk
