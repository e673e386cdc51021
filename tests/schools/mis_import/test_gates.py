"""The MIS import's gates: administrators only; everyone else gets a 404 and one denial."""

from core.actor import Actor
from schools.mis_import.permissions import access_mis_import, access_mis_import_run
from schools.models import MisImport
from tests.refusals import refused


def test_an_administrator_reaches_the_upload_page_and_a_run(world):
    admin = Actor.for_user(world.users["administrator"])
    run = MisImport.objects.create(school=world.school, kind="classes")
    assert access_mis_import(admin) is None
    assert access_mis_import_run(admin, run.pk) == run


def test_the_import_does_not_exist_for_anyone_else(world):
    run = MisImport.objects.create(school=world.school, kind="classes")
    head = Actor.for_user(world.users["headteacher"])
    assert refused(404, access_mis_import, head).detail == "MIS import: administrators only"
    assert refused(404, access_mis_import_run, head, run.pk).detail == (
        "MIS import: administrators only"
    )


def test_a_missing_run_is_a_404_with_one_denial(world):
    denial = refused(404, access_mis_import_run, Actor.for_user(world.users["administrator"]), 9)
    assert denial.detail == "MIS import: no such run"
