"""Permission matrix rows for virtual sessions (Appendix 1).

- The teacher's list and the planning page: anyone holding a teacher or class staff
  membership of a class. Everyone else: 404.
- The gaps page: anyone holding an SLT, headteacher, DSL or deputy DSL role (each sees their
  own scope). Everyone else: 404.
- A session (about the world's pupil, in class A): the class's teacher and class staff run it;
  SLT of the class, the headteacher and the site's DSL read it and get 403 on its actions;
  everyone else 404.
- A pupil's family agreement: as a session, about that pupil.
"""

import datetime

from django.utils import timezone

from safeguarding.models import ChecklistItem, SessionAttendance, VirtualSession
from tests.matrix import Rule
from tests.world import World

RUNS = frozenset({"teacher", "class_staff"})
READS = frozenset({"slt_class", "headteacher", "dsl"})
PLANS = frozenset({"teacher", "class_staff", "other_teacher"})
OVERSEES = frozenset(
    {
        "slt_class",
        "slt_other_site",
        "headteacher",
        "dsl",
        "deputy_dsl_other_site",
        "other_school_head",
    }
)


def session_for(world: World) -> VirtualSession:
    session = VirtualSession.objects.create(
        school=world.school,
        title="Story time",
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        minutes=45,
        meeting_link="https://teams.example/meet/1",
        planned_by=world.users["teacher"],
    )
    session.pupils.set([world.pupil])
    session.staff.set([world.users["teacher"], world.users["class_staff"]])
    SessionAttendance.objects.create(session=session, pupil=world.pupil)
    return session


def _session(world: World) -> list:
    return [session_for(world).pk]


def _checklist(world: World) -> dict:
    data = {f"checklist-{item}": "yes" for item in ChecklistItem.values}
    data["checklist-attended"] = [world.pupil.pk]
    return data


ROWS = {
    "safeguarding:session_list": Rule(allowed=PLANS),
    "safeguarding:session_plan": Rule(allowed=PLANS),
    "safeguarding:session_gaps": Rule(allowed=OVERSEES),
    "safeguarding:session_detail": Rule(allowed=RUNS | READS, args=_session),
    "safeguarding:session_checklist": Rule(
        allowed=RUNS,
        forbidden=READS,
        method="post",
        args=_session,
        data=_checklist,
        allowed_status=302,
    ),
    "safeguarding:session_stop": Rule(
        allowed=RUNS,
        forbidden=READS,
        method="post",
        args=_session,
        data=lambda world: {"stop-pupil": world.pupil.pk},
        allowed_status=302,
    ),
    "safeguarding:session_agreement": Rule(
        allowed=RUNS, forbidden=READS, args=lambda world: [world.pupil.pk]
    ),
}
