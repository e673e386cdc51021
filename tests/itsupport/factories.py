"""Records for the IT support tests, made through the services so they obey the same rules."""

import datetime

from itsupport import services
from itsupport.models import (
    DeviceLoan,
    DeviceNeed,
    LoanKind,
    NeedKind,
    RequestKind,
    SupportRequest,
    System,
    Urgency,
)
from schools.calendar import today
from tests.world import World

_tags = iter(range(1, 1_000_000))


def make_request(world: World, by: str = "teacher", **fields: object) -> SupportRequest:
    values = {
        "school": world.school,
        "kind": RequestKind.ISSUE,
        "system": System.PLATFORM,
        "description": "Work uploads fail with an error.",
        "urgency": Urgency.NORMAL,
    }
    values.update(fields)
    return services.request_raise(by=world.users[by], **values)


def make_loan(world: World, pupil=None, **fields: object) -> DeviceLoan:
    day = today()
    values = {
        "pupil": pupil or world.pupil,
        "kind": LoanKind.LAPTOP,
        "asset_tag": f"TAG-{next(_tags):05d}",
        "lent_on": day - datetime.timedelta(days=3),
        "expected_back": day + datetime.timedelta(days=14),
    }
    values.update(fields)
    return services.loan_record(by=world.users["it_staff"], **values)


def make_need(world: World, pupil=None, need: str = NeedKind.INTERNET, **fields) -> DeviceNeed:
    return services.need_record(
        by=world.users["teacher"], pupil=pupil or world.pupil, need=need, **fields
    )
