"""Today's provision checklist (policy section 3.2): for each pupil learning remotely, whether
today's planning, work and feedback are recorded, and a short form to record them."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Provision, Reason, Status
from cases.services import case_close, case_propose, closure_open
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for
from tests.factories import PupilFactory

URL = reverse("cases:provision_today")
HX = {"HTTP_HX_REQUEST": "true"}
# Thursday 3 December 2026, a school day.
SCHOOL_DAY = london(2026, 12, 3, 11, 0)


def _close(world, by="headteacher", **where):
    return closure_open(
        actor=Actor.for_user(world.users[by]),
        school=world.school,
        reason=Reason.NOT_SAFE_TO_OPEN,
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2026, 12, 18),
        **where,
    )


@pytest.fixture
def calendar(world):
    build_calendar(world.school)
    return world


@pytest.fixture
def on_a_school_day(calendar):
    with time_machine.travel(SCHOOL_DAY, tick=False):
        yield calendar


def _record_url(case) -> str:
    return reverse("cases:provision_today_record", args=[case.pk])


def _case_of(pupil) -> Case:
    return Case.objects.get(pupil=pupil, status=Status.ACTIVE)


def test_the_teacher_sees_their_pupils_learning_remotely_today_and_no_one_else(
    on_a_school_day,
):
    world = on_a_school_day
    _close(world, school_class=world.class_a)
    _close(world, school_class=world.class_b)
    returned = PupilFactory(school_class=world.class_a, first_name="Back", last_name="Early")
    proposed = PupilFactory(school_class=world.class_a, first_name="Only", last_name="Proposed")
    later = PupilFactory(school_class=world.class_a, first_name="Starts", last_name="Monday")
    with time_machine.travel(london(2026, 11, 30, 9, 0), tick=False):
        case = case_propose(
            actor=Actor.for_user(world.users["teacher"]),
            pupil=returned,
            reason=Reason.INJURY,
            start_date=datetime.date(2026, 11, 30),
            end_date=datetime.date(2026, 12, 4),
        )
    Case.objects.filter(pk=case.pk).update(status=Status.ACTIVE)
    case_close(
        actor=Actor.for_user(world.users["teacher"]),
        case=Case.objects.get(pk=case.pk),
        outcome="Recovered.",
        actual_return_date=datetime.date(2026, 12, 2),
    )
    case_propose(
        actor=Actor.for_user(world.users["teacher"]),
        pupil=proposed,
        reason=Reason.INFECTIOUS_ILLNESS,
        start_date=datetime.date(2026, 12, 3),
        end_date=datetime.date(2026, 12, 4),
    )
    upcoming = case_propose(
        actor=Actor.for_user(world.users["teacher"]),
        pupil=later,
        reason=Reason.OPERATION,
        start_date=datetime.date(2026, 12, 7),
        end_date=datetime.date(2026, 12, 11),
    )
    Case.objects.filter(pk=upcoming.pk).update(status=Status.ACTIVE)

    response = client_for(world.users["teacher"]).get(URL)

    assert response.status_code == 200
    assert [row.case.pupil for row in response.context["rows"]] == [world.pupil]
    page = response.content.decode()
    assert "Thursday 3 December 2026" in page
    assert "Marsh, Ellis" in page and "Not yet recorded" in page
    assert "Penrose" not in page and "Early" not in page and "Proposed" not in page
    assert AccessEvent.objects.filter(
        action=AccessAction.LIST, route="cases:provision_today", user_id=world.users["teacher"].pk
    ).exists()
    headteacher_rows = client_for(world.users["headteacher"]).get(URL).context["rows"]
    assert {row.case.pupil for row in headteacher_rows} == {world.pupil, world.other_pupil}


def test_the_teacher_records_today_inline_with_htmx(on_a_school_day):
    world = on_a_school_day
    _close(world, school_class=world.class_a)
    case = _case_of(world.pupil)

    response = client_for(world.users["teacher"]).post(
        _record_url(case),
        {"sent_by_email": "on", "visual_timetable_sent": "on", "feedback": " Loved the maths "},
        **HX,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith(f'<li class="list-group-item" id="provision-{case.pk}"')
    assert "Recorded" in page and "Emailed planning." in page and "Loved the maths" in page
    provision = Provision.objects.get(case=case)
    assert provision.date == datetime.date(2026, 12, 3)
    assert provision.sent_by_email and provision.visual_timetable_sent
    assert not provision.sent_as_work_pack
    assert provision.feedback == "Loved the maths"
    assert provision.recorded_by == world.users["teacher"]
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, pupil_id=world.pupil.pk, detail="provision"
    ).exists()


def test_without_javascript_recording_redirects_back_to_the_checklist(on_a_school_day):
    world = on_a_school_day
    _close(world, school_class=world.class_a)
    case = _case_of(world.pupil)
    client = client_for(world.users["class_staff"])

    response = client.post(_record_url(case), {"sent_as_work_pack": "on"})

    assert response.status_code == 302
    assert response["Location"] == f"{URL}#provision-{case.pk}"
    page = client.get(URL).content.decode()
    assert "recorded for Ellis Marsh" in page
    assert "1 of 1" in page


def test_a_double_submit_is_refused_nicely_and_keeps_one_record(on_a_school_day):
    world = on_a_school_day
    _close(world, school_class=world.class_a)
    case = _case_of(world.pupil)
    client = client_for(world.users["teacher"])

    first = client.post(_record_url(case), {"sent_by_email": "on"}, **HX)
    second = client.post(_record_url(case), {"sent_to_platform": "on"}, **HX)
    third = client.post(_record_url(case), {"sent_to_platform": "on"})

    assert first.status_code == second.status_code == 200
    assert "already recorded, so nothing new was saved" in second.content.decode()
    assert third.status_code == 302
    assert "already recorded" in client.get(third["Location"]).content.decode()
    provision = Provision.objects.get(case=case)
    assert provision.sent_by_email and not provision.sent_to_platform


def test_an_empty_form_is_refused_with_a_message_in_the_row(on_a_school_day):
    world = on_a_school_day
    _close(world, school_class=world.class_a)
    case = _case_of(world.pupil)
    response = client_for(world.users["teacher"]).post(_record_url(case), {"feedback": "  "}, **HX)
    assert response.status_code == 200
    assert "Tick what was provided today, or write the family" in response.content.decode()
    assert not Provision.objects.exists()
    page_without_js = client_for(world.users["teacher"]).post(_record_url(case), {})
    assert page_without_js.status_code == 200
    assert "<html" in page_without_js.content.decode()
    assert not Provision.objects.exists()


def test_on_a_day_that_is_not_a_school_day_the_page_says_so(calendar):
    world = calendar
    with time_machine.travel(london(2026, 12, 1, 9, 0), tick=False):
        _close(world, school_class=world.class_a)
    case = _case_of(world.pupil)
    # Boxing Day, observed on Monday 28 December 2026: a bank holiday inside the test term.
    with time_machine.travel(london(2026, 12, 28, 10, 0), tick=False):
        client = client_for(world.users["teacher"])
        page = client.get(URL).content.decode()
        assert "is not a school day" in page
        assert _record_url(case) not in page
        response = client.post(_record_url(case), {"sent_by_email": "on"}, **HX)
        assert "not a school day" in response.content.decode()
    assert not Provision.objects.exists()


def test_a_case_past_its_time_limit_asks_for_a_review_instead(on_a_school_day):
    world = on_a_school_day
    _close(world, school_class=world.class_a)
    case = _case_of(world.pupil)
    Case.objects.filter(pk=case.pk).update(end_date=datetime.date(2026, 12, 2))
    page = client_for(world.users["teacher"]).get(URL).content.decode()
    assert "Time limit passed" in page
    assert _record_url(case) not in page


def test_the_dsl_may_not_record_and_other_teachers_are_told_nothing_is_there(on_a_school_day):
    world = on_a_school_day
    _close(world, school_class=world.class_a)
    case = _case_of(world.pupil)
    dsl, other = world.users["dsl"], world.users["other_teacher"]

    assert client_for(dsl).get(URL).status_code == 404
    assert client_for(dsl).post(_record_url(case), {"sent_by_email": "on"}).status_code == 403
    assert client_for(other).post(_record_url(case), {"sent_by_email": "on"}).status_code == 404
    missing = reverse("cases:provision_today_record", args=[999999])
    assert client_for(other).post(missing, {"sent_by_email": "on"}).status_code == 404

    assert not Provision.objects.exists()
    assert AccessEvent.objects.filter(action=AccessAction.DENIED, user_id=dsl.pk).count() == 2
    assert AccessEvent.objects.filter(action=AccessAction.DENIED, user_id=other.pk).count() == 2


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_checklist_costs_the_same_queries_for_5_or_50_pupils(calendar):
    world = calendar
    north_class = world.class_a
    with time_machine.travel(london(2026, 12, 1, 9, 0), tick=False):
        PupilFactory.create_batch(4, school_class=north_class)
        _close(world, school_class=north_class)
    with time_machine.travel(SCHOOL_DAY, tick=False):
        client = client_for(world.users["headteacher"])
        client.get(URL)  # warm per-process caches
        some = Case.objects.filter(closure__isnull=False)[:2]
        for case in some:
            Provision.objects.create(
                case=case,
                date=datetime.date(2026, 12, 3),
                sent_by_email=True,
                recorded_by=world.users["teacher"],
            )
        assert len(client.get(URL).context["rows"]) == 5
        small = _count_queries(client)
        PupilFactory.create_batch(44, school_class=world.class_b)
        _close(world, school_class=world.class_b)
        for case in Case.objects.filter(pupil__school_class=world.class_b)[:20]:
            Provision.objects.create(
                case=case,
                date=datetime.date(2026, 12, 3),
                sent_as_work_pack=True,
                recorded_by=world.users["teacher"],
            )
        assert len(client.get(URL).context["rows"]) == 50
        large = _count_queries(client)
    assert small == large
    assert large <= 12


def test_a_click_that_raced_another_is_told_it_was_already_recorded(on_a_school_day, monkeypatch):
    """The second of two simultaneous clicks read the row before the first one saved."""
    from cases.closures import selectors as closure_selectors
    from cases.closures.selectors import provision_row

    world = on_a_school_day
    _close(world, school_class=world.class_a)
    case = _case_of(world.pupil)
    stale = provision_row(case.pk, datetime.date(2026, 12, 3))
    Provision.objects.create(
        case=case,
        date=datetime.date(2026, 12, 3),
        sent_by_email=True,
        recorded_by=world.users["teacher"],
    )
    calls = iter([stale])
    # The gate reads the row through the selector; the stale read is the gate's.
    monkeypatch.setattr(
        closure_selectors,
        "provision_row",
        lambda pk, day: next(calls, None) or provision_row(pk, day),
    )

    response = client_for(world.users["class_staff"]).post(
        _record_url(case), {"sent_to_platform": "on"}, **HX
    )

    assert response.status_code == 200
    assert "already recorded, so nothing new was saved" in response.content.decode()
    assert Provision.objects.get(case=case).sent_by_email
