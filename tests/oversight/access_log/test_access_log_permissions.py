"""oversight.access_log.permissions: the access log's gate and its scope agree."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dataprotection.models import AccessAction, AccessEvent
from oversight.access_log.permissions import (
    access_events_visible_to,
    access_log_pupils_for,
    access_log_staff_for,
    can_view_access_log,
)
from schools.models import Role
from schools.permissions import forget_memberships
from tests.factories import MembershipFactory, PupilFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(school, role, user=None):
    return MembershipFactory(school=school, role=role, **({"user": user} if user else {})).user


def looked_at(user, pupil=None) -> AccessEvent:
    return AccessEvent.objects.create(
        user_id=user.pk,
        user_display=str(user),
        action=AccessAction.VIEW if pupil else AccessAction.LIST,
        pupil_id=pupil.pk if pupil else None,
    )


@pytest.fixture
def school():
    return SchoolFactory()


@pytest.fixture
def events(school):
    teacher = member(school, Role.TEACHER)
    pupil = PupilFactory(school_class__site__school=school)
    return [looked_at(teacher, pupil), looked_at(teacher)]


@pytest.mark.parametrize("role", list(Role))
def test_the_gate_and_the_scope_agree_for_every_role(school, events, role):
    user = member(school, role)

    allowed = role in {Role.DPO, Role.HEADTEACHER}
    assert can_view_access_log(user) is allowed
    assert set(access_events_visible_to(user)) == (set(events) if allowed else set())
    assert access_log_pupils_for(user).exists() is allowed
    assert access_log_staff_for(user).exists() is allowed


def test_nobody_signed_out_or_without_a_membership_sees_anything(events):
    for user in (AnonymousUser(), UserFactory(), UserFactory(is_superuser=True, is_staff=True)):
        assert not can_view_access_log(user)
        assert not access_events_visible_to(user).exists()


def test_a_dpo_who_leaves_sees_nothing(school, events):
    dpo = member(school, Role.DPO)
    dpo.is_active = False

    assert not can_view_access_log(dpo)
    assert not access_events_visible_to(dpo).exists()


def test_the_role_at_one_school_shows_only_that_schools_log(school, events):
    other = SchoolFactory()
    other_teacher = member(other, Role.TEACHER)
    other_pupil = PupilFactory(school_class__site__school=other)
    theirs = [looked_at(other_teacher, other_pupil), looked_at(other_teacher)]
    # The DPO here also teaches at the other school: that shows them nothing of its log.
    dpo = member(school, Role.DPO)
    member(other, Role.TEACHER, user=dpo)
    forget_memberships(dpo)

    visible = set(access_events_visible_to(dpo))

    assert visible == set(events)
    assert not visible & set(theirs)
    assert other_pupil not in access_log_pupils_for(dpo)
    assert other_teacher not in access_log_staff_for(dpo)


def test_a_dpo_of_two_schools_sees_both(school, events):
    other = SchoolFactory()
    other_teacher = member(other, Role.TEACHER)
    theirs = looked_at(other_teacher, PupilFactory(school_class__site__school=other))
    dpo = member(school, Role.DPO)
    member(other, Role.DPO, user=dpo)
    forget_memberships(dpo)

    assert set(access_events_visible_to(dpo)) == {*events, theirs}


def test_events_with_no_pupil_by_people_unknown_here_stay_out(school, events):
    stranger = UserFactory()
    by_stranger = looked_at(stranger)
    anonymous = AccessEvent.objects.create(user_display="Anonymous", action=AccessAction.DENIED)
    dpo = member(school, Role.DPO)

    visible = set(access_events_visible_to(dpo))

    assert by_stranger not in visible
    assert anonymous not in visible


def test_the_scope_is_one_query(school, events, django_assert_num_queries):
    dpo = member(school, Role.DPO)
    forget_memberships(dpo)

    with django_assert_num_queries(2):  # the memberships, then the events
        list(access_events_visible_to(dpo))
