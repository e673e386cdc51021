"""Permission matrix rows for closures, the class overview, provision today and the
attendance export.

Who may do what, and why:
- Closing a site or class, and the attendance export, are leadership decisions (policy
  sections 3.2 and 3.3): the headteacher and SLT. slt_class may close its class, slt_other_site
  its site; other_school_head leads a school too and gets the page (with nothing of
  Heathergate's in it). Everyone else is told the page does not exist.
- The class overview of class A: its teacher and class staff, SLT over it and the headteacher
  complete it; the DSL of its site reads it but may not change it (403 on the row forms);
  everyone else, including those who may see the pupil for other reasons (IT staff, shared
  family support and nurse), gets 404.
- Provision today: everyone who works on cases (teachers, class staff, SLT, headteacher) has
  the checklist, for their own pupils; recording for world.pupil is open to those who work on
  that pupil's case, and the DSL, who may read the case, is refused with 403.
"""

import datetime
from zoneinfo import ZoneInfo

from cases.models import Case, Reason
from cases.services import closure_open
from core.actor import Actor
from schools.calendar import today
from schools.models import ClosureDay, ClosureKind, SchoolDay, Term
from schools.services import school_days_refresh
from tests.matrix import Rule
from tests.world import World

LEADERS = frozenset({"headteacher", "slt_class", "slt_other_site", "other_school_head"})
WORKS_ON_CASES = frozenset(
    {
        "teacher",
        "class_staff",
        "other_teacher",
        "slt_class",
        "slt_other_site",
        "headteacher",
        "other_school_head",
    }
)
READS_CASES = WORKS_ON_CASES | {"dsl", "deputy_dsl_other_site"}
EDITS_CLASS_A = frozenset({"teacher", "class_staff", "slt_class", "headteacher"})
READS_CLASS_A = frozenset({"dsl"})


def world_closure(world: World):
    """Class A closed for today, which is made a school day, once per world (a closure's time
    limit is checked against the calendar, which holds only that day)."""
    closure = getattr(world, "class_a_closure", None)
    if closure is None:
        SchoolDay.objects.get_or_create(school=world.school, date=today())
        closure = closure_open(
            actor=Actor.for_user(world.users["headteacher"]),
            school=world.school,
            reason=Reason.NOT_SAFE_TO_OPEN,
            start_date=today(),
            end_date=today(),
            school_class=world.class_a,
        )
        world.class_a_closure = closure
    return closure


def world_closure_case(world: World) -> Case:
    return Case.objects.get(closure=world_closure(world), pupil=world.pupil)


ROWS: dict[str, Rule] = {
    "cases:closure_list": Rule(allowed=READS_CASES),
    "cases:closure_new": Rule(allowed=LEADERS),
    "cases:closure_overview": Rule(
        allowed=EDITS_CLASS_A | READS_CLASS_A,
        args=lambda world: [world_closure(world).pk, world.class_a.pk],
    ),
    "cases:closure_check": Rule(
        allowed=EDITS_CLASS_A,
        forbidden=READS_CLASS_A,
        method="post",
        args=lambda world: [world_closure_case(world).pk],
        data=lambda world: {"wellbeing": "well", "internet_access": "online"},
        allowed_status=302,
    ),
    "cases:closure_paper": Rule(
        allowed=EDITS_CLASS_A,
        forbidden=READS_CLASS_A,
        method="post",
        args=lambda world: [world_closure_case(world).pk],
        data=lambda world: {"delivered_on": today().strftime("%d/%m/%Y"), "notes": ""},
        allowed_status=302,
    ),
    "cases:provision_today": Rule(allowed=WORKS_ON_CASES),
    "cases:provision_today_record": Rule(
        allowed=EDITS_CLASS_A,
        forbidden=READS_CLASS_A,
        method="post",
        args=lambda world: [world_closure_case(world).pk],
        # The first recorder saves; later ones are told it is already recorded.
        data=lambda world: {"sent_by_email": "on"},
        allowed_status=302,
    ),
    "cases:attendance_export": Rule(allowed=LEADERS),
}


# --- Shared with the closure, provision and attendance tests ---------------------------------

LONDON = ZoneInfo("Europe/London")


def build_calendar(school) -> None:
    """A school year whose terms deliberately run over bank holidays: the summer bank holiday
    (31/08/2026), Christmas and Boxing Day (25 and 28/12/2026), New Year's Day and Easter 2027,
    with an INSET day on 04/01/2027."""
    terms = [
        ("Late summer 2026", datetime.date(2026, 8, 24), datetime.date(2026, 9, 4)),
        ("Autumn 2026", datetime.date(2026, 9, 7), datetime.date(2027, 1, 8)),
        ("Spring 2027", datetime.date(2027, 1, 11), datetime.date(2027, 4, 16)),
    ]
    for name, first_day, last_day in terms:
        Term.objects.create(school=school, name=name, first_day=first_day, last_day=last_day)
    ClosureDay.objects.create(school=school, date=datetime.date(2027, 1, 4), kind=ClosureKind.INSET)
    school_days_refresh(school=school)


def london(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)
