"""The virtual session gates: the one door each session page uses."""

from safeguarding.sessions.permissions import (
    access_session,
    access_session_agreement,
    access_session_gaps,
    access_session_list,
    access_session_planning,
)
from tests.gate_checks import actor, refused
from tests.safeguarding.sessions.matrix import session_for


def test_the_class_teacher_runs_the_session(world):
    session = session_for(world)
    assert access_session(actor(world, "teacher"), session.pk, to="act") == session


def test_a_hidden_session_is_a_404_with_one_denied_row(world):
    session = session_for(world)
    row = refused(404, lambda: access_session(actor(world, "other_teacher"), session.pk))
    assert (row.subject_type, row.detail) == ("safeguarding.virtualsession", "session not visible")


def test_slt_read_the_session_but_get_a_403_on_running_it(world):
    session = session_for(world)
    slt = actor(world, "slt_class")
    assert access_session(slt, session.pk) == session
    row = refused(403, lambda: access_session(slt, session.pk, to="act"))
    assert row.detail == "may read, may not run"


def test_the_list_and_planning_are_for_class_staff(world):
    session = session_for(world)
    assert list(access_session_list(actor(world, "teacher"))) == [session]
    assert access_session_planning(actor(world, "teacher")) == world.school
    assert refused(404, lambda: access_session_list(actor(world, "dsl"))).detail == "list"
    assert refused(404, lambda: access_session_planning(actor(world, "dsl"))).detail == "plan"


def test_the_gaps_page_is_for_those_who_oversee_sessions(world):
    access_session_gaps(actor(world, "dsl"))
    assert refused(404, lambda: access_session_gaps(actor(world, "teacher"))).detail == "gaps"


def test_the_family_agreement_is_recorded_by_class_staff_and_read_by_slt(world):
    pk = world.pupil.pk
    assert access_session_agreement(actor(world, "teacher"), pk, to="act") == world.pupil
    assert access_session_agreement(actor(world, "slt_class"), pk) == world.pupil
    row = refused(403, lambda: access_session_agreement(actor(world, "slt_class"), pk, to="act"))
    assert row.detail == "session agreement: may read, may not record"
    row = refused(404, lambda: access_session_agreement(actor(world, "other_teacher"), pk))
    assert row.detail == "session agreement"
