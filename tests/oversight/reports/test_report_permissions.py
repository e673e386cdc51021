"""Who may read which oversight report: the predicate and the queryset scope agree."""

from oversight.reports.permissions import can_view_report, reports_visible_to
from tests.oversight.factories import report_for
from tests.world import PERSONAS


def test_the_predicate_and_the_scope_agree_for_every_persona_and_scope(world):
    reports = [
        report_for(world),
        report_for(world, site=world.north),
        report_for(world, site=world.south),
        report_for(world, school_class=world.class_a),
        report_for(world, school_class=world.class_b),
        report_for(world, school_class=world.class_south),
    ]
    readable = {}
    for persona in PERSONAS:
        user = world.users[persona]
        visible = set(reports_visible_to(user).values_list("pk", flat=True))
        predicate = {report.pk for report in reports if can_view_report(user, report)}
        assert visible == predicate, persona
        readable[persona] = visible

    school, north, south, class_a, class_b, class_south = (report.pk for report in reports)
    assert readable["headteacher"] == {school, north, south, class_a, class_b, class_south}
    assert readable["slt_class"] == {class_a}
    assert readable["slt_other_site"] == {south, class_south}
    for persona in set(PERSONAS) - {"headteacher", "slt_class", "slt_other_site"}:
        assert readable[persona] == set(), persona
