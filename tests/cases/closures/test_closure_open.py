"""Closing a site or a class (policy section 3.2): a case for every pupil, in one step."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.closures.permissions import can_close, closable_classes, closable_sites
from cases.models import (
    AttendanceCode,
    Basis,
    Case,
    Closure,
    ClosureCheck,
    Reason,
    Status,
    StatusChange,
)
from cases.services import case_propose
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from schools.models import SchoolClass, Site
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for
from tests.factories import PupilFactory, SchoolClassFactory

URL = reverse("cases:closure_new")


@pytest.fixture
def now():
    with time_machine.travel(london(2026, 11, 30, 9, 0), tick=False):
        yield


@pytest.fixture
def calendar(world):
    build_calendar(world.school)
    return world


def _post(user, client=None, **data):
    payload = {
        "closing": "",
        "reason": Reason.NOT_SAFE_TO_OPEN,
        "start_date": "01/12/2026",
        "end_date": "11/12/2026",
    }
    payload.update(data)
    return (client or client_for(user)).post(URL, payload)


def test_the_headteacher_closes_a_class_and_every_pupil_on_roll_gets_a_case(calendar, now):
    world = calendar
    more = PupilFactory.create_batch(2, school_class=world.class_a)
    PupilFactory(school_class=world.class_a, on_roll=False, first_name="Gone")

    client = client_for(world.users["headteacher"])
    response = _post(world.users["headteacher"], client, closing=f"class-{world.class_a.pk}")

    closure = Closure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "cases:closure_overview", args=[closure.pk, world.class_a.pk]
    )
    cases = Case.objects.filter(closure=closure)
    assert {case.pupil_id for case in cases} == {world.pupil.pk, *(p.pk for p in more)}
    for case in cases:
        assert case.basis == Basis.CLOSURE
        assert case.status == Status.ACTIVE
        assert case.start_date == datetime.date(2026, 12, 1)
        assert case.end_date == datetime.date(2026, 12, 11)
        # A class closed for safety: part of the school premises closed.
        assert case.attendance_code == AttendanceCode.Y3
    assert ClosureCheck.objects.filter(case__closure=closure).count() == 3
    assert StatusChange.objects.filter(case__closure=closure, to_status=Status.ACTIVE).count() == 3
    assert closure.created_by == world.users["headteacher"]
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, subject_type="cases.closure", subject_id=str(closure.pk)
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert "3 remote-education cases opened" in page


def test_slt_for_a_site_closes_the_whole_site_and_only_that_site(calendar, now):
    world = calendar
    second_class = SchoolClassFactory(site=world.south, name="Damson")
    second = PupilFactory(school_class=second_class)

    response = _post(
        world.users["slt_other_site"],
        closing=f"site-{world.south.pk}",
        reason=Reason.GOVERNMENT_GUIDANCE,
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:closure_list"))
    closure = Closure.objects.get()
    assert closure.site == world.south and closure.school_class is None
    assert set(closure.cases.values_list("pupil_id", flat=True)) == {
        world.south_pupil.pk,
        second.pk,
    }
    assert set(closure.cases.values_list("attendance_code", flat=True)) == {AttendanceCode.Y6}


def test_a_pupil_already_on_their_own_case_joins_the_closure_and_keeps_their_case(calendar, now):
    world = calendar
    others = PupilFactory.create_batch(3, school_class=world.class_a)
    existing = case_propose(
        actor=Actor.for_user(world.users["teacher"]),
        pupil=world.pupil,
        reason=Reason.INJURY,
        start_date=datetime.date(2026, 11, 30),
        end_date=datetime.date(2026, 12, 4),
    )
    client = client_for(world.users["headteacher"])

    response = _post(world.users["headteacher"], client, closing=f"class-{world.class_a.pk}")

    assert response.status_code == 302
    closure = Closure.objects.get()
    assert {case.pupil_id for case in closure.cases.all()} == {p.pk for p in others}
    assert list(closure.joined_cases.all()) == [existing]
    existing.refresh_from_db()
    assert existing.basis == Basis.INDIVIDUAL and existing.closure is None
    assert existing.status == Status.PROPOSED
    assert Case.objects.filter(pupil=world.pupil).count() == 1
    assert AccessEvent.objects.filter(
        action=AccessAction.CHANGE,
        subject_type="cases.case",
        subject_id=str(existing.pk),
        detail=f"joined closure {closure.pk}",
    ).exists()
    followed = client.get(response["Location"])
    assert "1 pupil already on their own case joined it" in followed.content.decode()
    # The pupil's own case notes the closure.
    page = client.get(existing.get_absolute_url()).content.decode()
    assert "Also covered by the closure of Ash from 01/12/2026 to 11/12/2026" in page


def test_a_closure_time_limit_beyond_the_schools_maximum_is_refused_at_the_field(calendar, now):
    world = calendar
    response = _post(
        world.users["headteacher"], closing=f"class-{world.class_a.pk}", end_date="29/01/2027"
    )
    assert response.status_code == 200
    assert "at most 30 school days" in response.context["form"].errors["end_date"][0]
    assert not Closure.objects.exists() and not Case.objects.exists()


def test_a_class_with_no_pupils_on_roll_is_refused_with_a_message(calendar, now):
    world = calendar
    empty = SchoolClassFactory(site=world.north, name="Elm")
    PupilFactory(school_class=empty, on_roll=False)

    response = _post(world.users["headteacher"], closing=f"class-{empty.pk}")

    assert response.status_code == 200
    assert "There are no pupils on roll there." in response.content.decode()
    assert not Closure.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("11/12/2026", "01/12/2026", "The time limit cannot be before the first day."),
        ("01/12/2026", "01/12/2027", "Choose less than a year"),
        ("31/02/2026", "01/03/2026", "Enter a date as DD/MM/YYYY"),
        ("", "01/03/2026", "Enter a date as DD/MM/YYYY."),
    ],
)
def test_bad_dates_get_a_message_at_the_field_and_nothing_is_written(
    calendar, now, start, end, message
):
    world = calendar
    response = _post(
        world.users["headteacher"],
        closing=f"class-{world.class_a.pk}",
        start_date=start,
        end_date=end,
    )
    assert response.status_code == 200
    form = response.context["form"]
    field = "start_date" if start in ("", "31/02/2026") else "end_date"
    assert any(message in error for error in form.errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Closure.objects.exists() and not Case.objects.exists()


def test_iso_dates_from_a_date_picker_are_accepted_too(calendar, now):
    world = calendar
    response = _post(
        world.users["headteacher"],
        closing=f"class-{world.class_a.pk}",
        start_date="2026-12-01",
        end_date="2026-12-11",
    )
    assert response.status_code == 302
    assert Closure.objects.get().start_date == datetime.date(2026, 12, 1)


def test_a_reason_for_an_individual_pupil_cannot_close_a_class(calendar, now):
    world = calendar
    response = _post(
        world.users["headteacher"], closing=f"class-{world.class_a.pk}", reason=Reason.INJURY
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not Closure.objects.exists()


def test_slt_for_a_class_is_offered_only_that_class(world):
    response = client_for(world.users["slt_class"]).get(URL)
    choices = dict(response.context["form"].fields["closing"].choices)
    assert "Whole site" not in choices
    assert [label for _, label in choices["One class"]] == ["Ash (North)"]


@pytest.mark.parametrize(
    ("persona", "closing"),
    [
        ("slt_class", "class-{class_b}"),
        ("slt_class", "site-{north}"),
        ("slt_other_site", "class-{class_a}"),
        ("other_school_head", "site-{north}"),
    ],
)
def test_a_leader_cannot_close_what_they_do_not_lead(calendar, now, persona, closing):
    world = calendar
    target = closing.format(
        class_a=world.class_a.pk, class_b=world.class_b.pk, north=world.north.pk
    )
    response = _post(world.users[persona], closing=target)
    assert response.status_code == 200
    assert response.context["form"].errors["closing"] == ["Choose a site or class from the list."]
    page = response.content.decode()
    assert "Choose a site or class from the list." in page or "nothing you can close" in page
    assert not Closure.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "dsl", "it_staff", "dpo", "governor", "no_role"])
def test_people_who_do_not_lead_are_told_the_page_does_not_exist(world, persona):
    user = world.users[persona]
    assert client_for(user).get(URL).status_code == 404
    assert client_for(user).post(URL, {"closing": f"class-{world.class_a.pk}"}).status_code == 404
    assert not Closure.objects.exists()
    assert (
        AccessEvent.objects.filter(
            action=AccessAction.DENIED, user_id=user.pk, route="cases:closure_new"
        ).count()
        == 2
    )


def test_who_may_close_agrees_with_what_the_form_offers(world):
    SchoolClassFactory(site=world.south, name="Damson")
    sites = list(Site.objects.all())
    classes = list(SchoolClass.objects.select_related("site"))
    for key, user in world.users.items():
        offered_sites = set(closable_sites(user))
        offered_classes = set(closable_classes(user))
        for site in sites:
            assert can_close(user, site=site) is (site in offered_sites), (key, site)
        for school_class in classes:
            assert can_close(user, school_class=school_class) is (
                school_class in offered_classes
            ), (key, school_class)
    head = world.users["headteacher"]
    assert set(closable_sites(head)) == {world.north, world.south}
    assert set(closable_sites(world.users["slt_other_site"])) == {world.south}
    assert set(closable_classes(world.users["slt_class"])) == {world.class_a}
    assert not can_close(head)
    assert not can_close(head, site=world.north, school_class=world.class_a)
