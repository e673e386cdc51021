"""The portal's home: the carer's children, name and class, or a clear empty state."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent
from tests.conftest import client_for
from tests.factories import PupilFactory, SchoolClassFactory, SchoolFactory
from tests.families.families import family

pytestmark = pytest.mark.django_db


def test_it_lists_the_carers_children_with_their_class():
    school = SchoolFactory(name="Heathergate School")
    ash = SchoolClassFactory(site__school=school, name="Ash")
    birch = SchoolClassFactory(site=ash.site, name="Birch")
    alex = PupilFactory(school_class=ash, first_name="Alex", last_name="Marsh")
    bo = PupilFactory(school_class=birch, first_name="Bo", last_name="Marsh")
    PupilFactory(school_class=ash, first_name="Jude", last_name="Penrose")
    _, user = family(alex, bo)

    response = client_for(user).get(reverse("families:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert [child.pk for child in response.context["children"]] == [alex.pk, bo.pk]
    assert "Alex Marsh" in html and "Class: Ash" in html
    assert "Bo Marsh" in html and "Class: Birch" in html
    assert "Jude" not in html
    assert "Heathergate School" in html
    assert "Sign out" in html
    event = AccessEvent.objects.get(action=AccessAction.LIST, user_id=user.pk)
    assert event.detail == "carers' portal home: 2 children"


def test_it_says_plainly_when_there_is_no_child_to_show():
    child = PupilFactory(on_roll=False)
    _, user = family(child)

    response = client_for(user).get(reverse("families:home"))

    assert response.status_code == 200
    assert "There are no children to show on your account" in response.content.decode()


def test_it_has_no_staff_menu():
    _, user = family(PupilFactory())

    html = client_for(user).get(reverse("families:home")).content.decode()

    assert 'aria-label="Main"' not in html
    assert "Two-step verification" not in html


def test_names_are_escaped():
    child = PupilFactory(first_name="<script>alert(1)</script>")
    _, user = family(child)

    html = client_for(user).get(reverse("families:home")).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_it_costs_the_same_queries_for_one_child_or_many(django_assert_num_queries):
    school_class = SchoolClassFactory()
    one = client_for(family(PupilFactory(school_class=school_class), name="One Child")[1])
    many = client_for(
        family(*[PupilFactory(school_class=school_class) for _ in range(4)], name="Four")[1]
    )
    for client in (one, many):
        client.get(reverse("families:home"))  # the session's clocks are set on the first page
    with CaptureQueriesContext(connection) as for_one:
        assert one.get(reverse("families:home")).status_code == 200

    with django_assert_num_queries(len(for_one)):
        assert many.get(reverse("families:home")).status_code == 200
