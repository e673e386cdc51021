"""Permission matrix rows for the DSL dashboard, home visits and longer absences.

- The dashboard (and its htmx refresh): anyone holding a DSL, deputy DSL or headteacher role
  (each sees their own site or school). Everyone else: 404.
- A case's safeguarding page and its actions (social worker informed, involvements): the DSL
  of the pupil's site and the headteacher; the others who read the case get 403; everyone
  else 404.
- Home visits: the DSL team, SLT and the headteacher of the pupil; teachers and class staff
  who read the case get 403. SLT's agreement is SLT's or the headteacher's to give: the DSL
  gets 403 on it.
"""

import datetime

from safeguarding.models import HomeVisit, Involvement, InvolvementKind
from schools.calendar import today
from schools.models import Pupil
from tests.cases.matrix import open_case_for
from tests.matrix import Rule
from tests.world import World

DASHBOARD = frozenset({"dsl", "deputy_dsl_other_site", "headteacher", "other_school_head"})
SAFEGUARDING = frozenset({"dsl", "headteacher"})
READS_THE_CASE = frozenset({"teacher", "class_staff", "slt_class", "headteacher", "dsl"})
VISITS = frozenset({"dsl", "slt_class", "headteacher"})


def case_with_social_worker(world: World):
    Pupil.objects.filter(pk=world.pupil.pk).update(social_worker_name="Sam Okafor")
    return open_case_for(world)


def visit_for(world: World) -> HomeVisit:
    return HomeVisit.objects.create(
        case=open_case_for(world),
        reason="No answer for three days.",
        requested_by=world.users["dsl"],
    )


def involvement_for(world: World) -> Involvement:
    return Involvement.objects.create(
        case=open_case_for(world),
        kind=InvolvementKind.SOCIAL_CARE,
        started_on=today() - datetime.timedelta(days=1),
        recorded_by=world.users["dsl"],
    )


ROWS: dict[str, Rule] = {
    "safeguarding:dashboard": Rule(allowed=DASHBOARD),
    "safeguarding:dashboard_partial": Rule(allowed=DASHBOARD, query="?urgency=immediate"),
    "safeguarding:case_safeguarding": Rule(
        allowed=SAFEGUARDING,
        forbidden=READS_THE_CASE - SAFEGUARDING,
        args=lambda world: [open_case_for(world).pk],
    ),
    "safeguarding:social_worker_informed": Rule(
        allowed=SAFEGUARDING,
        forbidden=READS_THE_CASE - SAFEGUARDING,
        method="post",
        args=lambda world: [case_with_social_worker(world).pk],
        data=lambda world: {"informed-informed_on": today().isoformat(), "informed-how": "phone"},
        allowed_status=302,
    ),
    "safeguarding:involvement_add": Rule(
        allowed=SAFEGUARDING,
        forbidden=READS_THE_CASE - SAFEGUARDING,
        method="post",
        args=lambda world: [open_case_for(world).pk],
        data=lambda world: {
            "involvement-kind": InvolvementKind.SOCIAL_CARE,
            "involvement-started_on": today().isoformat(),
        },
        allowed_status=302,
    ),
    "safeguarding:involvement_end": Rule(
        allowed=SAFEGUARDING,
        forbidden=READS_THE_CASE - SAFEGUARDING,
        method="post",
        args=lambda world: [involvement_for(world).pk],
        # The data names the involvement just made by ``args`` (requested first).
        data=lambda world: {
            f"end{Involvement.objects.order_by('-pk').first().pk}-ended_on": today().isoformat()
        },
        allowed_status=302,
    ),
    "safeguarding:visit_request": Rule(
        allowed=VISITS,
        forbidden=READS_THE_CASE - VISITS,
        args=lambda world: [open_case_for(world).pk],
    ),
    "safeguarding:visit_record": Rule(
        allowed=VISITS,
        forbidden=READS_THE_CASE - VISITS,
        args=lambda world: [visit_for(world).pk],
    ),
    "safeguarding:visit_agree": Rule(
        allowed=frozenset({"slt_class", "headteacher"}),
        forbidden=READS_THE_CASE - {"slt_class", "headteacher"},
        method="post",
        args=lambda world: [visit_for(world).pk],
        data=lambda world: {"which": "slt"},
        allowed_status=302,
    ),
}
