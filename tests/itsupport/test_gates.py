"""The IT request gates: the one door each request page uses to get its record."""

from itsupport.permissions import (
    access_pupil_choice,
    access_request,
    access_request_list,
    access_request_notes,
    access_request_raising,
    it_panel_rights,
    pupils_for_loans,
)
from schools.permissions import pupil_access
from tests.gate_checks import actor, refused
from tests.itsupport.factories import make_request


def test_it_staff_work_on_the_request(world):
    support_request = make_request(world)
    assert access_request(actor(world, "it_staff"), support_request.pk, to="act") == support_request


def test_a_hidden_request_is_a_404_with_one_denied_row(world):
    support_request = make_request(world)
    row = refused(404, lambda: access_request(actor(world, "other_teacher"), support_request.pk))
    assert (row.subject_type, row.detail) == ("itsupport.supportrequest", "not visible")
    assert row.subject_id == str(support_request.pk)


def test_slt_read_the_request_but_get_a_403_on_working_it(world):
    support_request = make_request(world)
    slt = actor(world, "slt_class")
    assert access_request(slt, support_request.pk) == support_request
    row = refused(403, lambda: access_request(slt, support_request.pk, to="act"))
    assert row.detail == "may read, may not work on"


def test_the_person_who_raised_it_adds_notes_and_slt_may_not(world):
    support_request = make_request(world)
    assert access_request_notes(actor(world, "teacher"), support_request.pk) == support_request
    row = refused(
        403, lambda: access_request_notes(actor(world, "headteacher"), support_request.pk)
    )
    assert row.detail == "may not add notes"


def test_the_list_and_raising_are_for_staff_not_governors(world):
    access_request_list(actor(world, "teacher"))
    access_request_raising(actor(world, "it_staff"))
    assert refused(404, lambda: access_request_list(actor(world, "governor"))).detail == (
        "list: not staff"
    )
    assert refused(404, lambda: access_request_raising(actor(world, "chair"))).detail == (
        "raise: not staff"
    )


def test_a_prefilled_pupil_must_be_one_the_form_offers(world):
    it = actor(world, "it_staff")
    pupils = pupils_for_loans(world.users["it_staff"])
    assert access_pupil_choice(it, "", pupils=pupils) is None
    assert access_pupil_choice(it, str(world.pupil.pk), pupils=pupils) == world.pupil.pk
    row = refused(404, lambda: access_pupil_choice(it, "999999", pupils=pupils))
    assert (row.subject_id, row.detail) == ("999999", "pupil not available here")
    assert refused(404, lambda: access_pupil_choice(it, "abc", pupils=pupils)).subject_id == ""


def test_the_it_section_offers_lending_to_it_and_meeting_needs_to_class_staff(world):
    def rights(persona):
        return it_panel_rights(pupil_access(world.users[persona], world.pupil))

    assert rights("it_staff") == {"may_meet": True, "may_lend": True}
    assert rights("teacher") == {"may_meet": True, "may_lend": False}
    assert rights("dsl") == {"may_meet": False, "may_lend": False}
