"""The needs gates."""

from itsupport.needs.permissions import access_need, access_need_list, access_need_recording
from tests.gate_checks import actor, refused
from tests.itsupport.factories import make_need


def test_class_staff_mark_the_pupils_need_met(world):
    need = make_need(world)
    assert access_need(actor(world, "class_staff"), need.pk, to="act") == need


def test_a_hidden_need_is_a_404_with_one_denied_row(world):
    need = make_need(world)
    row = refused(404, lambda: access_need(actor(world, "other_teacher"), need.pk))
    assert (row.subject_type, row.detail) == ("itsupport.deviceneed", "not visible")


def test_the_dsl_sees_the_need_but_gets_a_403_on_marking_it_met(world):
    need = make_need(world)
    dsl = actor(world, "dsl")
    assert access_need(dsl, need.pk) == need
    row = refused(403, lambda: access_need(dsl, need.pk, to="act"))
    assert (row.detail, row.pupil_id) == ("may see, may not mark met", world.pupil.pk)


def test_the_list_and_the_recording_page(world):
    access_need_list(actor(world, "it_staff"))
    access_need_recording(actor(world, "dsl"))
    assert refused(404, lambda: access_need_list(actor(world, "dsl"))).detail == (
        "list: not IT, class staff or SLT"
    )
    assert refused(404, lambda: access_need_recording(actor(world, "dpo"))).detail == (
        "record: sees no pupils"
    )
