"""The portal's gate: which children a carer sees (children_of, can_see_child, access_child)."""

import pytest

from core.actor import Actor
from families.permissions import access_child, can_see_child, carer_of, children_of
from tests.factories import PupilFactory, SchoolClassFactory, UserFactory
from tests.families.families import family
from tests.gate_checks import refused

pytestmark = pytest.mark.django_db


def agree(user, pupil, *, visible: bool) -> None:
    """The queryset scope and the predicate give the same answer for this child."""
    assert (pupil in children_of(user)) is visible
    assert can_see_child(user, pupil) is visible


@pytest.fixture
def school_class():
    return SchoolClassFactory(name="Ash")


def test_a_carer_with_parental_responsibility_sees_their_child(school_class):
    child = PupilFactory(school_class=school_class)
    carer, user = family(child)

    assert carer_of(user) == carer
    agree(user, child, visible=True)
    assert access_child(Actor.for_user(user), child.pk) == (carer, child)


def test_two_carers_of_children_in_the_same_class_never_see_each_other(school_class):
    ellis = PupilFactory(school_class=school_class)
    jude = PupilFactory(school_class=school_class)
    _, ellis_parent = family(ellis, name="Dana Marsh")
    _, jude_parent = family(jude, name="Kit Penrose")

    assert list(children_of(ellis_parent)) == [ellis]
    assert list(children_of(jude_parent)) == [jude]
    agree(ellis_parent, jude, visible=False)
    denial = refused(404, access_child, Actor.for_user(ellis_parent), jude.pk)
    assert denial.user_id == ellis_parent.pk
    assert denial.pupil_id == jude.pk
    assert denial.subject_type == "schools.pupil"


def test_a_carer_of_two_siblings_sees_both(school_class):
    older = PupilFactory(school_class=school_class, first_name="Alex")
    younger = PupilFactory(school_class=SchoolClassFactory(site=school_class.site), first_name="Bo")
    _, user = family(older, younger)

    assert set(children_of(user)) == {older, younger}
    agree(user, older, visible=True)
    agree(user, younger, visible=True)


def test_a_restricted_carer_with_parental_responsibility_sees_nothing(school_class):
    child = PupilFactory(school_class=school_class)
    _, user = family(child, contact_restricted=True, restriction_reason="Court order")

    agree(user, child, visible=False)
    refused(404, access_child, Actor.for_user(user), child.pk)


def test_a_carer_without_parental_responsibility_sees_nothing(school_class):
    child = PupilFactory(school_class=school_class)
    _, user = family(child, has_parental_responsibility=False)

    agree(user, child, visible=False)


def test_a_carer_of_a_pupil_who_left_sees_nothing(school_class):
    child = PupilFactory(school_class=school_class, on_roll=False)
    _, user = family(child)

    agree(user, child, visible=False)
    refused(404, access_child, Actor.for_user(user), child.pk)


def test_an_ended_account_sees_nothing(school_class):
    child = PupilFactory(school_class=school_class)
    _, user = family(child)
    user.is_active = False
    user.save()

    assert carer_of(user) is None
    agree(user, child, visible=False)


def test_staff_are_no_carers(school_class):
    child = PupilFactory(school_class=school_class)
    staff = UserFactory()

    assert carer_of(staff) is None
    agree(staff, child, visible=False)
    refused(404, access_child, Actor.for_user(staff), child.pk)


def test_an_id_that_does_not_exist_is_refused_like_another_child(school_class):
    child = PupilFactory(school_class=school_class)
    _, user = family(child)

    denial = refused(404, access_child, Actor.for_user(user), child.pk + 1000)
    assert denial.pupil_id is None
    assert denial.subject_id == str(child.pk + 1000)
