"""Copying a year forward: next year's terms and days off as drafts, on the same weekdays,
that count as school days only once confirmed."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from schools.models import ClosureDay, ClosureKind, SchoolDay, Term
from schools.services import school_days_refresh
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year(world):
    Term.objects.create(
        school=world.school,
        name="Autumn 2026",
        first_day=dt.date(2026, 9, 2),
        last_day=dt.date(2026, 12, 18),
    )
    Term.objects.create(
        school=world.school,
        name="Summer 2027",
        first_day=dt.date(2027, 4, 12),
        last_day=dt.date(2027, 7, 21),
    )
    ClosureDay.objects.create(school=world.school, date=dt.date(2026, 9, 2), kind=ClosureKind.INSET)
    school_days_refresh(school=world.school)
    with time_machine.travel(dt.datetime(2027, 5, 3, 9, tzinfo=dt.UTC), tick=False):
        yield world


def copy(client, world, year=2026):
    return client.post(
        reverse("schools:calendar_copy_forward", args=[world.school.pk]), {"year": year}
    )


def test_a_year_is_copied_forward_as_drafts_on_the_same_weekdays(this_year):
    world = this_year
    head = client_for(world.users["headteacher"])
    days_before = SchoolDay.objects.count()
    assert copy(head, world).status_code == 302
    autumn = Term.objects.get(name="Autumn 2027")
    assert autumn.draft and autumn.first_day == dt.date(2027, 9, 1)
    assert autumn.first_day.weekday() == dt.date(2026, 9, 2).weekday()
    assert Term.objects.get(name="Summer 2028").draft
    inset = ClosureDay.objects.get(date=dt.date(2027, 9, 1))
    assert inset.draft and inset.kind == ClosureKind.INSET
    # Drafts are not school days yet.
    assert SchoolDay.objects.count() == days_before

    head.post(reverse("schools:calendar_drafts_confirm", args=[world.school.pk]))
    assert not Term.objects.filter(draft=True).exists()
    assert SchoolDay.objects.filter(date=dt.date(2027, 9, 2)).exists()
    assert not SchoolDay.objects.filter(date=dt.date(2027, 9, 1)).exists()  # the INSET day


def test_a_year_that_already_has_terms_is_not_copied_over(this_year):
    world = this_year
    head = client_for(world.users["headteacher"])
    copy(head, world)
    response = copy(head, world)
    assert "2027/28 already has terms" in " ".join(response.context["form"].errors["year"])
    assert Term.objects.count() == 4


def test_a_draft_term_can_be_adjusted_before_it_is_confirmed(this_year):
    world = this_year
    head = client_for(world.users["headteacher"])
    copy(head, world)
    draft = Term.objects.get(name="Summer 2028")
    head.post(
        reverse("schools:term_edit", args=[draft.pk]),
        {"name": "Summer 2028", "first_day": "24/04/2028", "last_day": "20/07/2028"},
    )
    draft.refresh_from_db()
    assert (draft.first_day, draft.draft) == (dt.date(2028, 4, 24), True)
