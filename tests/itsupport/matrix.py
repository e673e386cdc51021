"""Permission matrix rows for IT support (policy section 3.5).

- Requests: any member of staff (not governors) lists their own and raises one. A request
  raised by the class A teacher, about no pupil, belongs to the North site: the teacher, IT
  staff (school-wide), SLT of class A (North) and the headteacher read it; the teacher may add
  notes; only IT assign and resolve. SLT and the headteacher get 403 on every action, the
  teacher on assigning and resolving; everyone else 404.
- Loans and help to families: IT staff record them (SLT and headteachers get 403); IT, SLT
  and headteachers read the lists; a loan to the pupil is returned by IT only (SLT of class A
  and the headteacher: 403).
- Needs: anyone whose role can show a pupil records one; IT, class staff, SLT and
  headteachers list them; marking the pupil's need met is for those of them who see the
  pupil, and 403 for the others who see the pupil (DSL, shared family support and nurse).
- The pupil's IT section follows the pupil record exactly.
"""

from itsupport.models import DeviceNeed
from schools.calendar import today
from tests.itsupport.factories import make_loan, make_need, make_request
from tests.matrix import EVERYONE, LISTS_PUPILS, SEES_THE_PUPIL, Rule

STAFF = EVERYONE - {"governor", "chair", "no_role", "administrator"}
IT = frozenset({"it_staff"})
READS_REQUEST = frozenset({"slt_class", "headteacher"})
LEADERS = frozenset({"slt_class", "slt_other_site", "headteacher", "other_school_head"})
READS_LOANS = IT | LEADERS
NEED_LISTERS = IT | LEADERS | {"teacher", "class_staff", "other_teacher"}
MEETS_PUPIL_NEED = frozenset({"it_staff", "teacher", "class_staff", "slt_class", "headteacher"})


def _request(world) -> list:
    return [make_request(world).pk]


def _loan(world) -> list:
    return [make_loan(world).pk]


def _need(world) -> list:
    """The pupil's open need, made once (a pupil has one open need of each kind)."""
    need = DeviceNeed.objects.filter(pupil=world.pupil, met_on__isnull=True).first()
    return [(need or make_need(world)).pk]


ROWS = {
    "itsupport:request_list": Rule(allowed=STAFF),
    "itsupport:request_new": Rule(allowed=STAFF),
    "itsupport:request_detail": Rule(
        allowed=READS_REQUEST | {"teacher", "it_staff"}, args=_request
    ),
    "itsupport:request_note": Rule(
        allowed=frozenset({"teacher", "it_staff"}),
        forbidden=READS_REQUEST,
        method="post",
        args=_request,
        data=lambda world: {"text": "Still happening this morning."},
        allowed_status=302,
    ),
    "itsupport:request_assign": Rule(
        allowed=IT,
        forbidden=READS_REQUEST | {"teacher"},
        method="post",
        args=_request,
        allowed_status=302,
    ),
    "itsupport:request_resolve": Rule(
        allowed=IT,
        forbidden=READS_REQUEST | {"teacher"},
        method="post",
        args=_request,
        data=lambda world: {"resolution": "Cleared the cache on the platform."},
        allowed_status=302,
    ),
    "itsupport:loan_list": Rule(allowed=READS_LOANS),
    "itsupport:loan_new": Rule(allowed=IT, forbidden=LEADERS),
    "itsupport:loan_return": Rule(
        allowed=IT,
        forbidden=READS_REQUEST,
        method="post",
        args=_loan,
        data=lambda world: {"returned_on": today().isoformat(), "condition": "good"},
        allowed_status=302,
    ),
    "itsupport:assistance_list": Rule(allowed=READS_LOANS),
    "itsupport:assistance_new": Rule(allowed=IT, forbidden=LEADERS),
    "itsupport:need_list": Rule(allowed=NEED_LISTERS),
    "itsupport:need_new": Rule(allowed=LISTS_PUPILS),
    "itsupport:need_meet": Rule(
        allowed=MEETS_PUPIL_NEED,
        forbidden=SEES_THE_PUPIL - MEETS_PUPIL_NEED,
        method="post",
        args=_need,
        data=lambda world: {"met_on": today().isoformat(), "how": "Family's own broadband."},
        allowed_status=302,
    ),
    "itsupport:pupil_it_panel": Rule(allowed=SEES_THE_PUPIL, args=lambda world: [world.pupil.pk]),
}
