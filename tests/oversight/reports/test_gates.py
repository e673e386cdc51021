"""The oversight reports' gates."""

from oversight.reports.permissions import access_report, access_reports
from tests.gate_checks import actor, refused
from tests.oversight.factories import report_for


def test_a_report_is_read_by_leaders_whose_scope_covers_it(world):
    report = report_for(world, site=world.north)
    access_reports(actor(world, "slt_class"))
    assert access_report(actor(world, "headteacher"), report.pk) == report
    assert access_report(actor(world, "headteacher"), report.pk, to="act") == report
    denial = refused(404, access_report, actor(world, "slt_other_site"), report.pk)
    assert (denial.subject_type, denial.subject_id) == ("oversight.oversightreport", str(report.pk))
    assert refused(404, access_report, actor(world, "teacher"), report.pk).subject_id == ""
    refused(404, access_reports, actor(world, "governor"))
