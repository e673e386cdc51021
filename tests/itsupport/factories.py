"""Records for the IT support tests, made through the services so they obey the same rules."""

import datetime

from core.actor import Actor
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
    return services.request_raise(actor=Actor.for_user(world.users[by]), **values)


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
    return services.loan_record(actor=Actor.for_user(world.users["it_staff"]), **values)


def make_need(world: World, pupil=None, need: str = NeedKind.INTERNET, **fields) -> DeviceNeed:
    return services.need_record(
        actor=Actor.for_user(world.users["teacher"]),
        pupil=pupil or world.pupil,
        need=need,
        **fields,
    )


def page_queries(client, url: str) -> int:
    """How many queries one GET of ``url`` costs, once the session's one-off work is done."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def it_staff_for_site(world: World, site) -> object:
    """An IT technician whose membership is narrowed to one site, signed up for MFA."""
    from allauth.mfa.totp.internal.auth import TOTP

    from schools.models import Role
    from tests.conftest import TEST_TOTP_SECRET
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(full_name=f"IT {site.name}")
    TOTP.activate(user, TEST_TOTP_SECRET)
    MembershipFactory(user=user, school=world.school, role=Role.IT_STAFF, site=site)
    return user
