"""A family asks for help (policy section 3.6, "seek help from the school"): help with the
work becomes a family report the class team sees on Today; help with a device or getting
online becomes an IT request raised by the carer, in IT's queue like any other."""

import datetime

from django.db import transaction

from contacts.models import FamilyReport, FamilyReportKind
from contacts.services import family_report_record
from core.actor import Actor
from families.help.forms import HelpWith
from itsupport.models import RequestKind, SupportRequest, System, Urgency
from itsupport.services import request_raise
from schools.calendar import add_school_days, is_school_day, today
from schools.models import Carer, Pupil


def help_day(pupil: Pupil) -> datetime.date | None:
    """The school day the class team will see a request for help with the work: today when
    the school is open, else the next school day (None when the calendar stops short)."""
    day = today()
    if is_school_day(pupil.school, day):
        return day
    return add_school_days(pupil.school, day, 1)


@transaction.atomic
def help_ask(
    *, actor: Actor, carer: Carer, pupil: Pupil, about: str, text: str
) -> FamilyReport | SupportRequest:
    """The carers' portal's gate has checked the carer may act for the child."""
    if about == HelpWith.WORK:
        return family_report_record(
            actor=actor,
            carer=carer,
            pupil=pupil,
            day=help_day(pupil) or today(),
            kind=FamilyReportKind.NEEDS_HELP,
            note=text,
        )
    return request_raise(
        actor=actor,
        school=pupil.school,
        kind=RequestKind.FAMILY_HELP,
        system=System.DEVICE if about == HelpWith.DEVICE else System.OTHER,
        description=f"Asked through the carers' portal ({HelpWith(about).label}): {text}",
        urgency=Urgency.NORMAL,
        pupil=pupil,
        carer=carer,
    )
