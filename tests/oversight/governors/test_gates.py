"""The governors' summary gate."""

from oversight.reports.permissions import access_governors_summary
from tests.factories import SchoolFactory
from tests.gate_checks import actor, refused


def test_governors_read_their_own_schools_summary_only(world):
    assert access_governors_summary(actor(world, "chair"), None) == world.school
    assert (
        access_governors_summary(actor(world, "headteacher"), str(world.school.pk)) == world.school
    )
    other = SchoolFactory()
    denial = refused(404, access_governors_summary, actor(world, "governor"), str(other.pk))
    assert (denial.subject_type, denial.detail) == (
        "oversight.governorssummary",
        "governors' summary",
    )
    refused(404, access_governors_summary, actor(world, "governor"), "x")
    refused(404, access_governors_summary, actor(world, "teacher"), None)
