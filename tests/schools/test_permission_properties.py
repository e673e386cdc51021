"""The predicate and the queryset scope are two separate implementations of one rule: for any
mix of memberships and shares, they must pick out exactly the same pupils."""

from django.db import transaction
from guardian.shortcuts import assign_perm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schools.models import Membership, Pupil, Role
from schools.permissions import can_list_pupils, pupil_access, pupils_visible_to
from tests.factories import UserFactory

SCOPES = ("school", "site", "class")

membership_strategy = st.tuples(
    st.sampled_from(list(Role)),
    st.sampled_from(SCOPES),
    st.integers(min_value=0, max_value=9),  # which school / site / class
)


@settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    memberships=st.lists(membership_strategy, max_size=4),
    shared=st.lists(st.integers(min_value=0, max_value=99), max_size=4),
    active=st.booleans(),
)
def test_predicate_and_scope_agree_for_any_memberships(world, memberships, shared, active):
    schools = [world.school, world.users["other_school_head"].memberships.get().school]
    sites = [world.north, world.south]
    classes = [world.class_a, world.class_b, world.class_south]
    pupils = list(Pupil.objects.select_related("school_class__site"))

    with transaction.atomic():
        user = UserFactory(is_active=active)
        for role, scope, index in memberships:
            fields = {"user": user, "role": role, "school": world.school}
            fields |= {"site": None, "school_class": None}
            if scope == "school":
                fields["school"] = schools[index % len(schools)]
            elif scope == "site":
                fields["site"] = sites[index % len(sites)]
            else:
                fields["school_class"] = classes[index % len(classes)]
            Membership.objects.get_or_create(**fields)
        for index in shared:
            assign_perm("schools.view_pupil", user, pupils[index % len(pupils)])

        in_scope = set(pupils_visible_to(user).values_list("pk", flat=True))
        by_predicate = {p.pk for p in pupils if pupil_access(user, p).can_view}
        assert in_scope == by_predicate
        if in_scope:
            assert can_list_pupils(user)
        transaction.set_rollback(True)
