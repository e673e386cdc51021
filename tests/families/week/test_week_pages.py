"""The child's week page on the family portal: who reaches it, what it shows, what it never
shows, its audit and its cost."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Provision
from dataprotection.models import AccessAction, AccessEvent
from safeguarding.models import (
    ChecklistItem,
    SessionChecklistEntry,
    SessionKind,
    VirtualSession,
)
from schools.models import CarerLink
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for
from tests.factories import CarerFactory, CarerLinkFactory, PupilFactory
from tests.families.agreements.helpers import AUTUMN_DAY, carer_client, open_case

MONDAY = datetime.date(2026, 11, 30)


def week_url(pupil, **query) -> str:
    url = reverse("families:child_week", args=[pupil.pk])
    return url + ("?week=" + query["week"] if query else "")


@pytest.fixture
def autumn(world):
    build_calendar(world.school)
    with time_machine.travel(AUTUMN_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def carer(world):
    client, user = carer_client(world.carer)
    client.user = user
    return client


def provide(case, day, **fields):
    return Provision.objects.create(
        case=case, date=day, recorded_by=case.created_by, sent_by_email=True, **fields
    )


def live_session(world, at, title="Story time"):
    session = VirtualSession.objects.create(
        school=world.school,
        kind=SessionKind.LIVE,
        title=title,
        starts_at=at,
        minutes=30,
        meeting_link="https://teams.example/meet/abc",
        planned_by=world.users["teacher"],
    )
    session.pupils.set([world.pupil])
    return session


def test_the_carer_sees_the_week_with_the_teachers_links(world, autumn, carer):
    case = open_case(world)
    provide(
        case,
        datetime.date(2026, 12, 1),
        work_links="https://learning.example/phonics",
    )
    Provision.objects.filter(case=case).update(
        work_links="javascript:alert(1)\nhttps://ok.example/"
    )
    response = carer.get(week_url(world.pupil))
    assert response.status_code == 200
    body = response.content.decode()
    assert "This week: 30 November to 4 December 2026" in body
    assert "Tuesday 1 December" in body
    assert "Planning and activities emailed to you" in body
    assert '<a class="text-break" href="https://ok.example/" rel="noopener noreferrer">' in body
    assert "javascript:" not in body
    assert "Saturday" not in body
    event = AccessEvent.objects.get(action=AccessAction.VIEW, user_id=carer.user.pk)
    assert event.pupil_id == world.pupil.pk
    assert event.route == "families:child_week"


def test_last_and_next_week(world, autumn, carer):
    open_case(world)
    body = carer.get(week_url(world.pupil, week="2026-12-09")).content.decode()
    assert "7 December to 11 December 2026" in body
    assert "This week" not in body
    assert "?week=2026-11-30" in body and "?week=2026-12-14" in body
    # Anything that is not a date is this week.
    assert "This week:" in carer.get(week_url(world.pupil, week="<script>")).content.decode()


def test_empty_states(world, autumn, carer):
    body = carer.get(week_url(world.pupil)).content.decode()
    assert "is not learning at home at the moment" in body
    open_case(world)
    body = carer.get(week_url(world.pupil)).content.decode()
    assert "Nothing is recorded for this week yet." in body
    body = carer.get(week_url(world.pupil, week="2027-01-01")).content.decode()
    assert "Friday 1 January" not in body  # New Year's Day is a bank holiday


def test_no_meeting_link_for_a_session_the_family_did_not_agree_to(world, autumn, carer):
    open_case(world)
    live_session(world, london(2026, 12, 4, 14, 0))
    body = carer.get(week_url(world.pupil)).content.decode()
    assert "Story time" in body
    assert "teams.example" not in body
    assert "once you have" in body


def test_no_safeguarding_record_of_a_session_is_shown(world, autumn, carer):
    open_case(world)
    session = live_session(world, london(2026, 12, 1, 14, 0))
    SessionChecklistEntry.objects.create(
        session=session,
        item=ChecklistItem.WAITING_ROOM,
        done=False,
        reason="Waiting room failed, concern about who was in the room",
        recorded_by=world.users["teacher"],
    )
    body = carer.get(week_url(world.pupil)).content.decode()
    assert "Story time" in body
    assert "Waiting room" not in body and "concern" not in body.lower()


def test_another_childs_id_is_404_and_audited(world, autumn, carer):
    open_case(world, world.other_pupil)
    response = carer.get(week_url(world.other_pupil))
    assert response.status_code == 404
    denied = AccessEvent.objects.filter(action=AccessAction.DENIED, user_id=carer.user.pk)
    assert denied.count() == 1
    assert not AccessEvent.objects.filter(action=AccessAction.VIEW).exists()


def test_a_carer_without_parental_responsibility_sees_nothing(world, autumn):
    no_pr = CarerFactory(
        pupil=world.pupil, full_name="Sam Marsh", has_parental_responsibility=False
    )
    client, _ = carer_client(no_pr)
    assert client.get(week_url(world.pupil)).status_code == 404


def test_staff_get_404(world, autumn):
    for key in ("teacher", "headteacher", "dsl"):
        assert client_for(world.users[key]).get(week_url(world.pupil)).status_code == 404


def _page_queries(carer, world) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert carer.get(week_url(world.pupil)).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_with_1_or_10_provision_rows(world, autumn, carer):
    case = open_case(world, days=30)
    provide(case, MONDAY)
    live_session(world, london(2026, 12, 1, 14, 0))
    _page_queries(carer, world)  # the first page of a sign-in also notes it
    few = _page_queries(carer, world)
    for day in range(1, 15):
        date = MONDAY + datetime.timedelta(days=day)
        if date.weekday() < 5 and Provision.objects.count() < 10:
            provide(case, date, work_links="https://learning.example/a")
    for hour in range(9, 14):
        live_session(world, london(2026, 12, 2, hour, 0), title=f"Session {hour}")
    assert Provision.objects.count() == 10
    assert _page_queries(carer, world) == few


def test_a_restricted_carer_with_parental_responsibility_sees_nothing(world, autumn, carer):
    open_case(world)
    CarerLink.objects.filter(carer=world.carer, pupil=world.pupil).update(
        contact_restricted=True, restriction_reason="Court order", restricted_at=AUTUMN_DAY
    )
    assert carer.get(week_url(world.pupil)).status_code == 404
    for name in ("families:child_arrangement", "families:child_ground_rules"):
        assert carer.get(reverse(name, args=[world.pupil.pk])).status_code == 404
    assert (
        AccessEvent.objects.filter(action=AccessAction.DENIED, user_id=carer.user.pk).count() == 3
    )
    assert not AccessEvent.objects.filter(action=AccessAction.VIEW).exists()


def test_a_carer_of_two_siblings_sees_both_weeks(world, autumn, carer):
    sibling = PupilFactory(school_class=world.class_b, first_name="Robin", last_name="Marsh")
    CarerLinkFactory(pupil=sibling, carer=world.carer)
    assert carer.get(week_url(world.pupil)).status_code == 200
    assert "Robin's week" in carer.get(week_url(sibling)).content.decode()
