"""Every person lands on their work: the home page counts what each role's own pages list, with
the same definitions (it asks those pages' selectors), links each count to its list, and costs
the same number of queries whatever the number of rows."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Flag, FlagKind
from cases.services import closure_open
from contacts.models import Outcome
from core.actor import Actor
from safeguarding.models import ConcernStatus, HomeVisit, Urgency
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for
from tests.contacts.test_today import add_contacts, make_case
from tests.factories import CarerFactory, PupilFactory
from tests.safeguarding.dashboard.test_dashboard import concern

pytestmark = pytest.mark.django_db

HOME = "/"
TODAY = reverse("contacts:today")
DASHBOARD = reverse("safeguarding:dashboard")
# Thursday 3 December 2026, a school day.
SCHOOL_DAY = london(2026, 12, 3, 11, 0)
DAY = SCHOOL_DAY.date()


@pytest.fixture
def school_day(world):
    build_calendar(world.school)
    with time_machine.travel(SCHOOL_DAY, tick=False):
        yield world


def home(world, persona: str):
    return client_for(world.users[persona]).get(HOME)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def test_a_teacher_sees_today_as_today_counts_it_with_a_button_to_today(school_day):
    world = school_day
    first = make_case(world, world.pupil)
    for n in range(2):
        make_case(world, PupilFactory(school_class=world.class_a, last_name=f"Ash{n}"))
    add_contacts(first, world.users["teacher"], 1, last_day=DAY)
    # Someone else's class is not the teacher's to contact.
    make_case(world, world.other_pupil)

    page = client_for(world.users["teacher"]).get(TODAY).context["page"]
    response = home(world, "teacher")
    body = text(response)
    assert f"{page.contacted} of 3 families contacted, {page.not_contacted} to go" in body
    assert "1 of 3 families contacted, 2 to go" in body
    assert f'href="{TODAY}"' in response.content.decode()
    assert "Go to Today" in body


def test_the_home_count_follows_today_for_a_family_tried_but_not_reached(school_day):
    """An attempt is counted on the home page exactly as Today counts it: one definition."""
    world = school_day
    case = make_case(world, world.pupil)
    make_case(world, PupilFactory(school_class=world.class_a))
    add_contacts(case, world.users["teacher"], 1, last_day=DAY, outcome=Outcome.NO_RESPONSE)
    page = client_for(world.users["teacher"]).get(TODAY).context["page"]
    body = text(home(world, "teacher"))
    assert f"{page.contacted} of 2 families contacted" in body


def test_a_class_closure_in_force_is_shown_to_its_class_with_a_link_to_its_overview(school_day):
    world = school_day
    closure = closure_open(
        actor=Actor.for_user(world.users["headteacher"]),
        school=world.school,
        reason="guidance",
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2026, 12, 11),
        school_class=world.class_a,
    )
    overview = reverse("cases:closure_overview", args=[closure.pk, world.class_a.pk])
    response = home(world, "teacher")
    assert "Closure in force: Ash, 01/12/2026 to 11/12/2026" in text(response)
    assert f'href="{overview}"' in response.content.decode()
    assert "Closure in force" not in text(home(world, "other_teacher"))
    with time_machine.travel(london(2026, 12, 14, 11, 0), tick=False):
        assert "Closure in force" not in text(home(world, "teacher"))


def test_the_dsl_sees_waiting_concerns_immediate_first_with_their_age_and_the_dashboard_counts(
    school_day,
):
    world = school_day
    routine = concern(world, world.pupil, urgency=Urgency.ROUTINE, hours=5)
    immediate = concern(world, world.pupil, urgency=Urgency.IMMEDIATE, hours=2)
    concern(world, world.pupil, status=ConcernStatus.ACKNOWLEDGED)
    concern(world, world.south_pupil, urgency=Urgency.IMMEDIATE)  # the other site's
    case = make_case(world, world.pupil)
    Flag.objects.create(case=case, kind=FlagKind.FAMILY_NOT_RESPONDING, period=case.start_date)
    Flag.objects.create(case=case, kind=FlagKind.REVIEW_OVERDUE, period=case.start_date)
    HomeVisit.objects.create(case=case, reason="No answer", requested_by=world.users["dsl"])

    board = client_for(world.users["dsl"]).get(DASHBOARD).context["board"]
    response = home(world, "dsl")
    html = response.content.decode()
    body = text(response)
    assert f"{board.unacknowledged} concerns waiting for acknowledgement" in body
    assert "2 concerns waiting for acknowledgement" in body
    assert f"{board.flag_count} open flag " in body
    assert f"{board.visit_count} home visit to arrange" in body
    assert f'href="{DASHBOARD}#concerns-heading"' in html
    assert f'href="{DASHBOARD}#flags-heading"' in html
    assert f'href="{DASHBOARD}#visits-heading"' in html
    immediate_link = reverse("safeguarding:concern_detail", args=[immediate.pk])
    routine_link = reverse("safeguarding:concern_detail", args=[routine.pk])
    assert html.index(immediate_link) < html.index(routine_link)
    assert "waiting 2 hours" in body
    assert "Tate" not in body

    assert "waiting for acknowledgement" not in text(home(world, "teacher"))


def test_slt_see_who_is_behind_and_the_reviews_due_this_week_as_the_case_list_counts_them(
    school_day,
):
    world = school_day
    due = make_case(world, world.pupil)
    due.next_review_date = datetime.date(2026, 12, 6)  # the Sunday of this week
    due.save(update_fields=["next_review_date"])
    later = make_case(world, PupilFactory(school_class=world.class_a))
    later.next_review_date = datetime.date(2026, 12, 7)
    later.save(update_fields=["next_review_date"])

    client = client_for(world.users["slt_class"])
    listed = client.get(reverse("cases:case_list") + "?review_this_week=on").context["page"]
    response = home(world, "slt_class")
    body = text(response)
    assert listed.paginator.count == 1
    assert "1 review due this week" in body
    assert 'href="/cases/?review_this_week=on"' in response.content.decode()
    assert "Who is behind" in body
    assert "Ash (North): 2 of 2 not yet contacted" in body
    assert "Who is behind" not in text(home(world, "teacher"))


def test_the_head_also_has_setup_and_policy_and_governors_only_their_summary(school_day):
    world = school_day
    head = home(world, "headteacher").content.decode()
    assert "Setup and policy" in head
    assert reverse("setup:checklist") in head
    assert reverse("governance:policy_list") in head
    assert f'href="{DASHBOARD}"' in head

    governor = home(world, "governor")
    html = governor.content.decode()
    assert reverse("oversight:governors_summary") in html
    for absent in (TODAY, DASHBOARD, "review_this_week", "Setup and policy"):
        assert absent not in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(HOME).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "persona", ["teacher", "class_staff", "slt_class", "headteacher", "dsl", "governor"]
)
def test_each_role_s_home_costs_the_same_queries_for_few_or_many_rows(school_day, persona):
    world = school_day
    client = client_for(world.users[persona])

    def add(n: int) -> None:
        for i in range(n):
            pupil = PupilFactory(school_class=world.class_a)
            CarerFactory(pupil=pupil)
            case = make_case(world, pupil)
            add_contacts(case, world.users["teacher"], 3, last_day=DAY)
            concern(world, pupil, urgency=Urgency.IMMEDIATE if i % 2 else Urgency.ROUTINE)
            Flag.objects.create(case=case, kind=FlagKind.DAILY_CONTACT_MISSED, period=DAY)
            HomeVisit.objects.create(case=case, reason="No answer", requested_by=world.users["dsl"])

    add(1)
    client.get(HOME)  # the first request of a session also updates the session
    few = _queries(client)
    add(30)
    assert _queries(client) == few
