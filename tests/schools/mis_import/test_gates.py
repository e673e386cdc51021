"""The MIS import pages' gates: administrators only."""

from schools.mis_import.permissions import access_mis_import, access_mis_import_run
from schools.models import MisImport
from tests.gate_checks import actor, refused


def test_administrators_import_and_everyone_else_is_told_nothing_is_here(world):
    run = MisImport.objects.create(school=world.school, kind="classes")
    access_mis_import(actor(world, "administrator"))
    assert access_mis_import_run(actor(world, "administrator"), run.pk) == run
    denial = refused(404, access_mis_import_run, actor(world, "headteacher"), run.pk)
    assert (denial.subject_type, denial.subject_id) == ("schools.misimport", str(run.pk))
    refused(404, access_mis_import, actor(world, "headteacher"))
    refused(404, access_mis_import_run, actor(world, "administrator"), 999999)
