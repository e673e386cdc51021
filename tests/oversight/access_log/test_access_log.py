"""The DPO's access log page: who looked at which pupil's records, and when."""

import datetime
import re
from dataclasses import dataclass

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from dataprotection.models import AccessAction, AccessEvent
from schools.models import Pupil, Role, School
from tests.conftest import TEST_TOTP_SECRET
from tests.factories import (
    MembershipFactory,
    PupilFactory,
    SchoolClassFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("oversight:access_log")
UTC = datetime.UTC


def staff(school: School, role: str, **user_fields: object) -> User:
    user = UserFactory(**user_fields)
    TOTP.activate(user, TEST_TOTP_SECRET)
    MembershipFactory(user=user, school=school, role=role)
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def event(
    *,
    user: User | None = None,
    pupil: Pupil | None = None,
    action: str = AccessAction.VIEW,
    **fields: object,
) -> AccessEvent:
    return AccessEvent.objects.create(
        user_id=user.pk if user else None,
        user_display=f"{user.full_name} <{user.email}>" if user else "Anonymous",
        action=action,
        subject_type=fields.pop("subject_type", "schools.pupil" if pupil else ""),
        subject_id=fields.pop("subject_id", str(pupil.pk) if pupil else ""),
        pupil_id=pupil.pk if pupil else None,
        **fields,
    )


def event_at(moment: datetime.datetime, **kwargs: object) -> AccessEvent:
    # occurred_at is auto_now_add and the table refuses UPDATE: travel in time instead.
    with time_machine.travel(moment, tick=False):
        return event(**kwargs)


@dataclass
class World:
    school: School
    pupil: Pupil
    another_pupil: Pupil
    dpo: User
    headteacher: User
    teacher: User
    other_school_pupil: Pupil
    other_school_teacher: User


@pytest.fixture
def world() -> World:
    school = SchoolFactory(name="Brookfield")
    klass = SchoolClassFactory(site__school=school, name="Oak")
    other_school = SchoolFactory(name="Elsewhere")
    other_class = SchoolClassFactory(site__school=other_school)
    teacher = staff(school, Role.TEACHER, full_name="Tess Teacher", email="tess@school.example")
    return World(
        school=school,
        pupil=PupilFactory(school_class=klass, first_name="Amara", last_name="Okoye"),
        another_pupil=PupilFactory(
            school_class=klass, first_name="Benjamin", preferred_name="Ben", last_name="Hale"
        ),
        dpo=staff(school, Role.DPO, full_name="Dana Officer"),
        headteacher=staff(school, Role.HEADTEACHER),
        teacher=teacher,
        other_school_pupil=PupilFactory(
            school_class=other_class, first_name="Zed", last_name="Outsider"
        ),
        other_school_teacher=staff(other_school, Role.TEACHER, full_name="Otto Other"),
    )


def rows(response) -> list[dict[str, object]]:
    return response.context["rows"]


def row_events(response) -> list[AccessEvent]:
    return [row["event"] for row in rows(response)]


# --- Who may see it --------------------------------------------------------------------------


def test_the_dpo_sees_the_access_log(world):
    response = client_for(world.dpo).get(URL)

    assert response.status_code == 200
    assert response.templates[0].name == "oversight/access_log.html"
    assert "<h1" in response.content.decode() and "Access log" in response.content.decode()


def test_the_headteacher_sees_the_access_log(world):
    assert client_for(world.headteacher).get(URL).status_code == 200


@pytest.mark.parametrize(
    "role",
    [
        Role.TEACHER,
        Role.CLASS_STAFF,
        Role.SLT,
        Role.DSL,
        Role.DEPUTY_DSL,
        Role.IT_STAFF,
        Role.FAMILY_SUPPORT,
        Role.SCHOOL_NURSE,
        Role.GOVERNOR,
        Role.CHAIR_OF_GOVERNORS,
    ],
)
def test_no_one_else_is_told_it_exists(world, role):
    someone = staff(world.school, role)

    assert client_for(someone).get(URL).status_code == 404


def test_a_governor_gets_404(world):
    governor = staff(world.school, Role.GOVERNOR)

    response = client_for(governor).get(URL)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_administrator_without_the_role_gets_404(admin_user):
    assert client_for(admin_user).get(URL).status_code == 404


def test_a_former_dpo_gets_404(world):
    world.dpo.is_active = False
    world.dpo.save()

    response = client_for(world.dpo).get(URL)

    assert response.status_code in {302, 404}
    assert response.status_code != 200


def test_anyone_signed_out_is_sent_to_sign_in():
    response = Client().get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not AccessEvent.objects.exists()


def test_a_refused_attempt_is_recorded(world):
    client_for(world.teacher).get(URL)

    refusal = AccessEvent.objects.get()
    assert refusal.action == AccessAction.DENIED
    assert refusal.user_id == world.teacher.pk
    assert refusal.route == "oversight:access_log"


def test_viewing_the_access_log_is_itself_recorded(world):
    response = client_for(world.dpo).get(URL, {"pupil": world.pupil.pk}, REMOTE_ADDR="192.0.2.8")

    viewing = AccessEvent.objects.get()
    assert viewing.action == AccessAction.LIST
    assert viewing.route == "oversight:access_log"
    assert viewing.user_id == world.dpo.pk
    assert viewing.subject_type == "dataprotection.accessevent"
    assert viewing.pupil_id == world.pupil.pk
    assert viewing.ip_address == "192.0.2.8"
    assert viewing.request_id == response["X-Request-ID"]
    # Ids and counts only, never names.
    assert viewing.detail == f"pupil_id={world.pupil.pk}; page 1 of 1"


def test_looking_up_a_pupils_log_shows_in_that_pupils_log(world):
    client = client_for(world.dpo)
    client.get(URL, {"pupil": world.pupil.pk})

    response = client.get(URL, {"pupil": world.pupil.pk})

    [earlier_look] = row_events(response)
    assert earlier_look.action == AccessAction.LIST
    assert earlier_look.user_id == world.dpo.pk


def test_it_answers_get_only(world):
    assert client_for(world.dpo).post(URL).status_code == 405


# --- What it shows ---------------------------------------------------------------------------


def test_it_shows_who_did_what_to_which_pupil_and_when(world):
    event_at(
        datetime.datetime(2026, 11, 28, 14, 5, tzinfo=UTC),
        user=world.teacher,
        pupil=world.pupil,
        route="schools:pupil_detail",
        ip_address="192.0.2.10",
        request_id="req-0123456789",
    )
    event_at(
        datetime.datetime(2026, 7, 1, 9, 5, tzinfo=UTC),
        user=world.teacher,
        pupil=world.another_pupil,
        action=AccessAction.PRINT,
    )

    response = client_for(world.dpo).get(URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert "28 Nov 2026 14:05" in html
    assert "1 Jul 2026 10:05" in html  # 09:05 UTC is 10:05 British Summer Time
    assert "Tess Teacher &lt;tess@school.example&gt;" in html
    assert "Viewed" in html and "Printed" in html
    assert "Amara Okoye" in html
    assert "Ben Hale" in html  # the name the pupil goes by
    assert "schools:pupil_detail" in html
    assert "192.0.2.10" in html
    assert "req-0123456789" in html
    assert [row["pupil_name"] for row in rows(response)] == ["Amara Okoye", "Ben Hale"]


def test_it_shows_only_its_own_schools_events(world):
    ours = event(user=world.teacher, pupil=world.pupil)
    our_list = event(user=world.teacher, action=AccessAction.LIST)
    event(user=world.other_school_teacher, pupil=world.other_school_pupil)
    event(user=world.other_school_teacher, action=AccessAction.LIST)
    # Someone from elsewhere looking at one of our pupils is our business.
    their_look_at_ours = event(user=world.other_school_teacher, pupil=world.pupil)

    response = client_for(world.dpo).get(URL)

    assert set(row_events(response)) == {ours, our_list, their_look_at_ours}
    assert "Zed" not in response.content.decode()


def test_the_empty_state(world):
    response = client_for(world.dpo).get(URL)

    assert rows(response) == []
    assert "No access to pupils' records has been recorded yet." in response.content.decode()


def test_the_empty_state_with_filters(world):
    event(user=world.teacher, pupil=world.pupil)

    response = client_for(world.dpo).get(URL, {"pupil": world.another_pupil.pk})

    assert rows(response) == []
    assert "No access has been recorded that matches these filters." in response.content.decode()


def test_the_page_has_labels_and_no_inline_scripts_or_styles(world):
    html = client_for(world.dpo).get(URL).content.decode()

    for name in ("pupil", "user", "date_from", "date_to"):
        assert f'for="id_{name}"' in html
    assert "style=" not in html
    assert "<style" not in html
    for script in re.findall(r"<script[^>]*>", html):
        assert "src=" in script
    assert 'method="get"' in html
    assert "(optional)" not in html  # a filter form: every field is


# --- Filters ---------------------------------------------------------------------------------


def test_the_pupil_list_offers_this_schools_pupils_by_id(world):
    response = client_for(world.dpo).get(URL)
    html = response.content.decode()

    choices = list(response.context["form"].fields["pupil"].queryset)
    assert choices == [world.another_pupil, world.pupil]  # by surname
    assert f'<option value="{world.pupil.pk}">Amara Okoye</option>' in html
    assert "Zed Outsider" not in html


def test_the_staff_list_offers_this_schools_staff(world):
    response = client_for(world.dpo).get(URL)

    staff_choices = set(response.context["form"].fields["user"].queryset)
    assert world.teacher in staff_choices
    assert world.dpo in staff_choices
    assert world.other_school_teacher not in staff_choices


def test_it_filters_by_pupil(world):
    wanted = event(user=world.teacher, pupil=world.pupil)
    event(user=world.teacher, pupil=world.another_pupil)

    response = client_for(world.dpo).get(URL, {"pupil": world.pupil.pk})

    assert row_events(response) == [wanted]


def test_it_filters_by_person(world):
    head_look = event(user=world.headteacher, pupil=world.pupil)
    event(user=world.teacher, pupil=world.pupil)

    response = client_for(world.dpo).get(URL, {"user": world.headteacher.pk})

    assert row_events(response) == [head_look]


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [("29/03/2026", "29/03/2026"), ("2026-03-29", "2026-03-29"), ("29/03/2026", "")],
)
def test_it_filters_by_uk_dates(world, date_from, date_to):
    event_at(datetime.datetime(2026, 3, 28, 23, 59, tzinfo=UTC), user=world.teacher)
    on_the_day = event_at(
        datetime.datetime(2026, 3, 29, 22, 59, tzinfo=UTC), user=world.teacher, pupil=world.pupil
    )

    response = client_for(world.dpo).get(URL, {"date_from": date_from, "date_to": date_to})

    assert response.status_code == 200
    assert row_events(response) == [on_the_day]


def test_filters_combine(world):
    wanted = event_at(
        datetime.datetime(2026, 10, 25, 12, tzinfo=UTC), user=world.teacher, pupil=world.pupil
    )
    event_at(datetime.datetime(2026, 10, 25, 12, tzinfo=UTC), user=world.dpo, pupil=world.pupil)
    event_at(datetime.datetime(2026, 10, 26, 12, tzinfo=UTC), user=world.teacher, pupil=world.pupil)

    response = client_for(world.dpo).get(
        URL,
        {
            "pupil": world.pupil.pk,
            "user": world.teacher.pk,
            "date_from": "25/10/2026",
            "date_to": "25/10/2026",
        },
    )

    assert row_events(response) == [wanted]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "31/02/2026"}, "date_from", "Enter a date as DD/MM/YYYY"),
        ({"date_to": "next tuesday"}, "date_to", "Enter a date as DD/MM/YYYY"),
        ({"date_from": "12/31/2026"}, "date_from", "Enter a date as DD/MM/YYYY"),
        ({"date_to": "31/12/9999"}, "date_to", "Enter a date between 01/01/2000 and 31/12/2099"),
        ({"date_from": "01/01/0001"}, "date_from", "Enter a date between"),
        (
            {"date_from": "02/03/2026", "date_to": "01/03/2026"},
            "date_to",
            "The end date must be on or after the start date.",
        ),
        ({"pupil": "abc"}, "pupil", "Choose a pupil from the list."),
        ({"pupil": "99999999999999999999999999"}, "pupil", "Choose a pupil from the list."),
        ({"user": "-1"}, "user", "Choose a member of staff from the list."),
    ],
)
def test_bad_filters_are_shown_at_the_field(world, params, field, message):
    event(user=world.teacher, pupil=world.pupil)

    response = client_for(world.dpo).get(URL, params)
    html = response.content.decode()

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert f'id="id_{field}_error"' in html
    assert rows(response) == []
    assert AccessEvent.objects.filter(action=AccessAction.LIST).get().detail == (
        "filters not valid"
    )


def test_a_pupil_of_another_school_cannot_be_chosen(world):
    event(user=world.other_school_teacher, pupil=world.other_school_pupil)

    response = client_for(world.dpo).get(URL, {"pupil": world.other_school_pupil.pk})

    assert response.context["form"].errors["pupil"] == ["Choose a pupil from the list."]
    assert rows(response) == []
    assert "Zed" not in response.content.decode()


# --- Pages and queries -----------------------------------------------------------------------


# Session, user, second factor, memberships, the pupil and staff lists, the chosen person,
# the count, the page, the pupils' names, recording the visit, and the menu's count of the
# viewer's own tasks.
MAX_QUERIES = 13


def many_events(world: World, count: int, pupils: list[Pupil]) -> None:
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user_id=world.teacher.pk,
            user_display="Tess Teacher <tess@school.example>",
            action=AccessAction.VIEW,
            subject_type="schools.pupil",
            subject_id=str(pupils[i % len(pupils)].pk),
            pupil_id=pupils[i % len(pupils)].pk,
            ip_address="192.0.2.1",
        )
        for i in range(count)
    )


def test_results_come_fifty_to_a_page_and_pages_keep_the_filters(world):
    many_events(world, 120, [world.pupil])
    client = client_for(world.dpo)

    filters = {"pupil": world.pupil.pk, "user": world.teacher.pk}

    first = client.get(URL, filters)
    third = client.get(URL, {**filters, "page": 3})

    assert len(rows(first)) == 50
    assert len(rows(third)) == 20
    assert first.context["page_obj"].paginator.count == 120
    assert (
        f"?pupil={world.pupil.pk}&amp;user={world.teacher.pk}&amp;page=2" in first.content.decode()
    )
    assert "Page 1 of 3" in first.content.decode()


@pytest.mark.parametrize(("page", "number"), [("abc", 1), ("999", 3), ("-1", 3)])
def test_a_page_number_out_of_range_shows_a_page(world, page, number):
    many_events(world, 120, [world.pupil])

    response = client_for(world.dpo).get(URL, {"page": page})

    assert response.status_code == 200
    assert response.context["page_obj"].number == number


def test_the_page_costs_the_same_queries_for_5_or_200_events(world, django_assert_max_num_queries):
    klass = world.pupil.school_class
    pupils = [PupilFactory(school_class=klass) for _ in range(60)]
    client = client_for(world.dpo)
    filters = {"user": world.teacher.pk, "date_from": "01/01/2026"}
    client.get(URL, filters)  # the session's first request writes its start time

    many_events(world, 5, pupils)
    with CaptureQueriesContext(connection) as few:
        response = client.get(URL, filters)
    assert len({row["pupil_name"] for row in rows(response)}) == 5

    many_events(world, 195, pupils)
    with django_assert_max_num_queries(len(few)) as many:
        response = client.get(URL, filters)
    assert len(rows(response)) == 50
    assert all(row["pupil_name"] for row in rows(response))

    assert len(many) == len(few)
    assert len(few) <= MAX_QUERIES
