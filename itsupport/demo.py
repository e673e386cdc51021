"""Demo IT support records for the demo school, so every IT page has something to show.

Three requests (one waiting, one in hand with a note, one help to a family already given),
three loans (one out, one overdue for return, one returned), help given to a family, and
needs (a device, met by a loan; internet access and paper copies, still open). The pupils are
those the demo cases use, so a case page shows its pupil's needs. A school that already has
IT requests is left alone: loading twice changes nothing.
"""

import datetime

from django.db import transaction

from cases.demo import demo_case_pupils
from core.actor import Actor
from itsupport.models import (
    AssistanceKind,
    LoanKind,
    NeedKind,
    RequestKind,
    ReturnCondition,
    SupportRequest,
    System,
    Urgency,
)
from itsupport.services import (
    assistance_record,
    loan_record,
    loan_return,
    loans_note_overdue,
    need_meet,
    need_record,
    request_assign,
    request_note_add,
    request_raise,
)
from schools.calendar import today
from schools.models import Membership, Role, School


def _member(school: School, role: str, **scope: object) -> object | None:
    membership = (
        Membership.objects.filter(school=school, role=role, **scope).select_related("user").first()
    )
    return membership.user if membership else None


@transaction.atomic
def itsupport_demo_load(school: School) -> int:
    """Load the demo IT records once. Returns the number of requests created."""
    if SupportRequest.objects.filter(school=school).exists():
        return 0
    it = _member(school, Role.IT_STAFF)
    chosen = demo_case_pupils(school)
    if it is None or not chosen:
        return 0
    first, active, overdue_pupil, returning = (
        chosen[key] for key in ("waiting", "active", "overdue", "returning")
    )
    teacher = _member(school, Role.TEACHER, school_class=active.school_class) or it
    day = today()

    request_raise(
        actor=Actor.for_user(teacher),
        school=school,
        kind=RequestKind.ISSUE,
        system=System.PLATFORM,
        description="Uploaded work does not appear for the class: pupils see an empty page.",
        urgency=Urgency.HIGH,
    )
    in_hand = request_raise(
        actor=Actor.for_user(teacher),
        school=school,
        kind=RequestKind.ISSUE,
        system=System.TEAMS,
        description="The family cannot join the class call: the link asks for a password.",
        urgency=Urgency.NORMAL,
        pupil=active,
    )
    request_assign(actor=Actor.for_user(it), support_request=in_hand)
    request_note_add(
        actor=Actor.for_user(it),
        support_request=in_hand,
        text="Guest access was off for the class team; switched on, waiting to hear back.",
    )
    request_raise(
        actor=Actor.for_user(teacher),
        school=school,
        kind=RequestKind.FAMILY_HELP,
        system=System.WEDUC,
        description="Parent could not see messages from school in the app.",
        urgency=Urgency.LOW,
        pupil=active,
        help_given="Talked them through notification settings on the phone; messages now show.",
    )

    laptop_lent = day - datetime.timedelta(days=10)
    laptop = loan_record(
        actor=Actor.for_user(it),
        pupil=active,
        kind=LoanKind.LAPTOP,
        asset_tag="LVS-LAP-0142",
        lent_on=laptop_lent,
        expected_back=day + datetime.timedelta(days=30),
        notes="Charger and sleeve included.",
    )
    need = need_record(
        actor=Actor.for_user(teacher), pupil=active, need=NeedKind.DEVICE, notes="Shares one phone."
    )
    need_meet(actor=Actor.for_user(it), need=need, met_on=laptop_lent, loan=laptop)
    need_record(
        actor=Actor.for_user(teacher),
        pupil=active,
        need=NeedKind.INTERNET,
        notes="No broadband at home.",
    )

    loan_record(
        actor=Actor.for_user(it),
        pupil=overdue_pupil,
        kind=LoanKind.DONGLE,
        asset_tag="LVS-4G-0007",
        lent_on=day - datetime.timedelta(days=40),
        expected_back=day - datetime.timedelta(days=5),
    )
    returned = loan_record(
        actor=Actor.for_user(it),
        pupil=returning,
        kind=LoanKind.TABLET,
        asset_tag="LVS-TAB-0031",
        lent_on=day - datetime.timedelta(days=30),
        expected_back=day - datetime.timedelta(days=2),
    )
    loan_return(
        actor=Actor.for_user(it),
        loan=returned,
        returned_on=day - datetime.timedelta(days=3),
        condition=ReturnCondition.GOOD,
    )
    assistance_record(
        actor=Actor.for_user(it),
        pupil=overdue_pupil,
        kind=AssistanceKind.ACCOUNT,
        given_on=day - datetime.timedelta(days=6),
        notes="Reset the pupil's platform password with the parent on the phone.",
    )
    need_record(
        actor=Actor.for_user(teacher),
        pupil=first,
        need=NeedKind.PAPER,
        notes="Prefers paper work packs.",
    )
    loans_note_overdue(day)
    return 3
