"""Terms and days off kept by the headteacher: each change refreshes the school days in the
same transaction; overlapping terms, a term ending before it starts and a day off outside
every term are refused at the field, with nothing written."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent
from schools.models import ClosureDay, SchoolDay, Term
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

AUTUMN = {"name": "Autumn 2026", "first_day": "02/09/2026", "last_day": "18/12/2026"}


@pytest.fixture(autouse=True)
def in_autumn():
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def head(world):
    return client_for(world.users["headteacher"])


def post_term(client, world, data):
    return client.post(reverse("schools:term_new", args=[world.school.pk]), data)


def post_day(client, world, data):
    return client.post(reverse("schools:closure_new", args=[world.school.pk]), data)


def test_adding_a_term_makes_its_weekdays_school_days_and_is_audited(world, head):
    response = post_term(head, world, AUTUMN)
    assert response.status_code == 302
    term = Term.objects.get(school=world.school)
    days = SchoolDay.objects.filter(school=world.school)
    # 16 weeks less 2 days at the start; no bank holiday falls in it.
    assert days.count() == 78
    assert days.first().date == dt.date(2026, 9, 2)
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, subject_type="schools.term", subject_id=str(term.pk)
    ).exists()


def test_an_inset_day_is_taken_out_of_the_school_days_and_put_back_when_removed(world, head):
    post_term(head, world, AUTUMN)
    post_day(head, world, {"date": "02/09/2026", "kind": "inset", "description": "Training"})
    assert not SchoolDay.objects.filter(school=world.school, date=dt.date(2026, 9, 2)).exists()
    closure = ClosureDay.objects.get(school=world.school)
    head.post(reverse("schools:closure_remove", args=[closure.pk]))
    assert SchoolDay.objects.filter(school=world.school, date=dt.date(2026, 9, 2)).exists()


def test_a_half_term_is_entered_as_a_run_of_weekdays(world, head):
    post_term(head, world, AUTUMN)
    post_day(
        head,
        world,
        {"date": "24/10/2026", "last_date": "01/11/2026", "kind": "holiday", "description": "Half"},
    )
    dates = list(ClosureDay.objects.values_list("date", flat=True))
    assert dates == [dt.date(2026, 10, 26) + dt.timedelta(days=n) for n in range(5)]


def test_overlapping_terms_are_refused_at_the_first_day(world, head):
    post_term(head, world, AUTUMN)
    response = post_term(
        head, world, {"name": "Spring 2027", "first_day": "14/12/2026", "last_day": "26/03/2027"}
    )
    assert response.status_code == 200
    assert "overlap Autumn 2026 (02/09/2026 to 18/12/2026)" in " ".join(
        response.context["form"].errors["first_day"]
    )
    assert Term.objects.count() == 1


def test_a_term_ending_before_it_starts_is_refused_at_the_last_day(world, head):
    response = post_term(
        head, world, {"name": "Autumn 2026", "first_day": "18/12/2026", "last_day": "02/09/2026"}
    )
    assert response.context["form"].errors["last_day"] == ["A term cannot end before it starts."]
    assert not Term.objects.exists() and not SchoolDay.objects.exists()


def test_a_day_off_outside_every_term_is_refused_at_the_date(world, head):
    post_term(head, world, AUTUMN)
    response = post_day(head, world, {"date": "21/12/2026", "kind": "inset", "description": ""})
    assert "21/12/2026 is outside every term" in " ".join(response.context["form"].errors["date"])
    assert not ClosureDay.objects.exists()


def test_a_run_of_days_partly_outside_term_writes_none_of_them(world, head):
    post_term(head, world, AUTUMN)
    response = post_day(
        head,
        world,
        {"date": "17/12/2026", "last_date": "22/12/2026", "kind": "closure", "description": ""},
    )
    assert "outside every term" in " ".join(response.context["form"].errors["date"])
    assert not ClosureDay.objects.exists()


def test_moving_a_term_away_from_its_inset_day_is_refused(world, head):
    post_term(head, world, AUTUMN)
    post_day(head, world, {"date": "02/09/2026", "kind": "inset", "description": ""})
    term = Term.objects.get()
    response = head.post(
        reverse("schools:term_edit", args=[term.pk]), {**AUTUMN, "first_day": "03/09/2026"}
    )
    assert "02/09/2026" in " ".join(response.context["form"].errors["first_day"])
    assert Term.objects.get().first_day == dt.date(2026, 9, 2)


def test_a_term_holding_days_off_is_not_removed(world, head):
    post_term(head, world, AUTUMN)
    post_day(head, world, {"date": "02/09/2026", "kind": "inset", "description": ""})
    response = head.post(reverse("schools:term_remove", args=[Term.objects.get().pk]), follow=True)
    assert "Move or remove them first" in response.content.decode()
    assert Term.objects.exists() and SchoolDay.objects.exists()


def test_removing_a_term_removes_its_school_days(world, head):
    post_term(head, world, AUTUMN)
    head.post(reverse("schools:term_remove", args=[Term.objects.get().pk]))
    assert not Term.objects.exists() and not SchoolDay.objects.exists()


def test_slt_read_the_calendar_but_may_not_change_it(world):
    slt = client_for(world.users["slt_class"])
    page = slt.get(reverse("schools:calendar_detail", args=[world.school.pk]))
    assert page.status_code == 200 and "Add a term" not in page.content.decode()
    assert post_term(slt, world, AUTUMN).status_code == 403
    assert not Term.objects.exists()


def test_the_calendar_page_costs_the_same_whatever_the_number_of_days(
    world, head, django_assert_max_num_queries
):
    post_term(head, world, AUTUMN)
    url = reverse("schools:calendar_detail", args=[world.school.pk])
    head.get(url)
    with django_assert_max_num_queries(14) as few:
        head.get(url)
    baseline = len(few)
    for day in ("02/09/2026", "03/09/2026", "23/10/2026", "04/01/2027"):
        post_day(head, world, {"date": day, "kind": "inset", "description": ""})
    with django_assert_max_num_queries(baseline):
        response = head.get(url)
    assert "23/10/2026" in response.content.decode()
