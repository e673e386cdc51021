"""The compliance pages' gates."""

from declarations.compliance.permissions import access_compliance, access_declaration_issue
from tests.declarations.compliance.matrix import issue_for
from tests.gate_checks import actor, refused


def test_the_compliance_page_is_for_it_staff_and_leaders(world):
    access_compliance(actor(world, "it_staff"))
    access_compliance(actor(world, "slt_class"))
    refused(404, access_compliance, actor(world, "teacher"))


def test_it_staff_resolve_a_task_that_leaders_may_only_see(world):
    issue = issue_for(world)
    assert access_declaration_issue(actor(world, "it_staff"), issue.pk, to="act") == issue
    assert access_declaration_issue(actor(world, "headteacher"), issue.pk) == issue
    denial = refused(403, access_declaration_issue, actor(world, "headteacher"), issue.pk, to="act")
    assert denial.detail == "only IT staff resolve declaration tasks"
    hidden = refused(404, access_declaration_issue, actor(world, "slt_other_site"), issue.pk)
    assert (hidden.subject_type, hidden.subject_id) == (
        "declarations.declarationissue",
        str(issue.pk),
    )
    refused(404, access_declaration_issue, actor(world, "it_staff"), 999999, to="act")
