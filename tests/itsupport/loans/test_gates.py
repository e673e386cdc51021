"""The loan and family assistance gates."""

from itsupport.loans.permissions import access_assistance, access_loan, access_loans
from tests.gate_checks import actor, refused
from tests.itsupport.factories import make_loan


def test_it_staff_record_a_loans_return(world):
    loan = make_loan(world)
    assert access_loan(actor(world, "it_staff"), loan.pk, to="act") == loan


def test_a_hidden_loan_is_a_404_with_one_denied_row(world):
    loan = make_loan(world)
    row = refused(404, lambda: access_loan(actor(world, "teacher"), loan.pk))
    assert (row.subject_type, row.detail) == ("itsupport.deviceloan", "not visible")


def test_slt_read_a_loan_but_get_a_403_on_its_return(world):
    loan = make_loan(world)
    slt = actor(world, "slt_class")
    assert access_loan(slt, loan.pk) == loan
    row = refused(403, lambda: access_loan(slt, loan.pk, to="act"))
    assert (row.detail, row.pupil_id) == ("may read, may not record a return", world.pupil.pk)


def test_the_lists_are_read_by_it_and_leaders_and_recorded_by_it(world):
    access_loans(actor(world, "headteacher"))
    access_assistance(actor(world, "it_staff"), to="act")
    row = refused(404, lambda: access_loans(actor(world, "teacher")))
    assert (row.subject_type, row.detail) == ("itsupport.deviceloan", "list: not IT or SLT")
    row = refused(403, lambda: access_assistance(actor(world, "slt_class"), to="act"))
    assert (row.subject_type, row.detail) == (
        "itsupport.familyassistance",
        "may read, may not record",
    )
