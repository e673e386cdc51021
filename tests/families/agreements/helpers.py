"""Shared by the agreement tests: a school day in the Autumn 2026 term, a case for
world.pupil and the account its carer signs in with."""

import datetime

from cases.models import AttendanceCode, Basis, Case, Reason, Status
from tests.cases.closures.matrix import london
from tests.families.families import carer_account as families_carer_account

AUTUMN_DAY = london(2026, 12, 3, 11, 0)  # a Thursday in Autumn 2026
SPRING_DAY = london(2027, 1, 14, 11, 0)  # a Thursday in Spring 2027
HOLIDAY_DAY = london(2027, 1, 9, 11, 0)  # the Saturday between Autumn 2026 and Spring 2027
CASE_START = datetime.date(2026, 11, 30)


def open_case(world, pupil=None, *, status=Status.ACTIVE, days=28) -> Case:
    pupil = pupil or world.pupil
    return Case.objects.create(
        pupil=pupil,
        basis=Basis.INDIVIDUAL,
        reason=Reason.INJURY,
        status=status,
        summary="Ellis broke a leg and is learning at home until the cast is off.",
        start_date=CASE_START,
        end_date=CASE_START + datetime.timedelta(days=days),
        next_review_date=CASE_START + datetime.timedelta(days=14),
        attendance_code=AttendanceCode.I,
        proposed_on=CASE_START,
        created_by=world.users["headteacher"],
    )


def carer_account(carer):
    """The carer's portal account (a carer's kind of account, linked to ``carer``)."""
    return families_carer_account(carer)


def carer_client(carer):
    """A signed-in client for the carer (and the account it signs in with)."""
    from tests.conftest import client_for

    user = carer_account(carer)
    return client_for(user), user
