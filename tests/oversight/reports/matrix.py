"""Permission matrix rows for SLT oversight reports and the governors' summary.

- Reports list and the form: anyone holding an SLT or headteacher membership (each sees their
  own scope). Everyone else: 404.
- One report (about class A, asked for by the class's SLT): the SLT of class A and the
  headteacher, whose scopes cover it. The SLT of the other site, the other school's head and
  everyone else: 404. The same for its download and for trying a failed one again.
- The governors' summary and its PDF: governors, the chair and headteachers (each for their
  own school). Everyone else: 404, including SLT and the DSL.
"""

from oversight.models import ReportStatus
from tests.matrix import Rule
from tests.oversight.factories import report_for
from tests.world import World

ASKS = frozenset({"slt_class", "slt_other_site", "headteacher", "other_school_head"})
COVERS_CLASS_A = frozenset({"slt_class", "headteacher"})
GOVERNORS = frozenset({"governor", "chair", "headteacher", "other_school_head"})


def _report(world: World, **extra: object) -> list:
    return [report_for(world, by="slt_class", school_class=world.class_a, **extra).pk]


ROWS = {
    "oversight:report_list": Rule(allowed=ASKS),
    "oversight:report_new": Rule(allowed=ASKS),
    "oversight:report_detail": Rule(allowed=COVERS_CLASS_A, args=_report),
    "oversight:report_download": Rule(
        allowed=COVERS_CLASS_A,
        args=lambda world: _report(world, status=ReportStatus.READY, content=b"%PDF-1.7 test"),
    ),
    "oversight:report_retry": Rule(
        allowed=COVERS_CLASS_A,
        method="post",
        args=lambda world: _report(world, status=ReportStatus.FAILED),
        allowed_status=302,
    ),
    "oversight:governors_summary": Rule(allowed=GOVERNORS),
    "oversight:governors_summary_download": Rule(allowed=GOVERNORS),
}
