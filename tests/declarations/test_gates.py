"""The declaration page's gate."""

from declarations.permissions import access_declaration
from tests.gate_checks import actor, refused


def test_staff_who_see_pupils_declare_and_governors_are_told_there_is_no_page(world):
    access_declaration(actor(world, "teacher"))
    denial = refused(404, access_declaration, actor(world, "governor"))
    assert denial.detail == "device declarations are for staff who see pupils"
    refused(404, access_declaration, actor(world, "no_role"))
