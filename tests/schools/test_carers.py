"""A carer is one person however many of the school's children they care for; what they are
to each child is on the link, and a link never crosses two schools."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from core.actor import Actor
from dataprotection.models import AccessEvent
from schools.models import CROSS_SCHOOL_LINK, Carer, CarerLink, CarerRelationship
from schools.selectors import carers_of
from schools.services import carer_link_create
from tests.factories import (
    CarerFactory,
    CarerLinkFactory,
    PupilFactory,
    SchoolClassFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


def test_siblings_share_one_carer_record_each_with_their_own_relationship(world):
    sibling = PupilFactory(school_class=world.class_b, last_name="Marsh")
    CarerLinkFactory(
        pupil=sibling, carer=world.carer, relationship=CarerRelationship.STEP_PARENT, priority=2
    )

    assert list(world.pupil.carers.all()) == list(sibling.carers.all()) == [world.carer]
    assert Carer.objects.filter(full_name="Dana Marsh").count() == 1
    (link,) = carers_of(sibling)
    assert (link.carer, link.relationship, link.priority) == (
        world.carer,
        CarerRelationship.STEP_PARENT,
        2,
    )
    assert carers_of(world.pupil)[0].relationship == CarerRelationship.PARENT


def test_carers_of_lists_links_first_to_contact_first(world):
    CarerFactory(pupil=world.pupil, full_name="Aaron Marsh", priority=2)
    CarerFactory(pupil=world.pupil, full_name="Zoe Marsh", priority=1)
    assert [link.carer.full_name for link in carers_of(world.pupil)] == [
        "Dana Marsh",
        "Zoe Marsh",
        "Aaron Marsh",
    ]


def other_school_pupil():
    site = SiteFactory()
    return PupilFactory(school_class=SchoolClassFactory(site=site))


def test_a_household_link_across_two_schools_is_refused_with_a_clear_message(world):
    stranger = other_school_pupil()
    events_before = AccessEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        carer_link_create(
            actor=Actor.for_user(world.users["dsl"]),
            pupil=stranger,
            carer=world.carer,
            relationship=CarerRelationship.MOTHER,
        )

    assert refused.value.message_dict == {"carer": [CROSS_SCHOOL_LINK]}
    assert not CarerLink.objects.filter(pupil=stranger).exists()
    assert AccessEvent.objects.count() == events_before


def test_the_other_schools_side_is_refused_too(world):
    stranger = other_school_pupil()
    their_carer = CarerFactory(pupil=stranger)

    with pytest.raises(ValidationError) as refused:
        carer_link_create(
            actor=Actor.for_user(world.users["dsl"]),
            pupil=world.pupil,
            carer=their_carer,
            relationship=CarerRelationship.FATHER,
        )

    assert refused.value.message_dict == {"carer": [CROSS_SCHOOL_LINK]}
    assert list(world.pupil.carers.all()) == [world.carer]


def test_linking_a_sibling_is_recorded_in_the_access_log(world):
    sibling = PupilFactory(school_class=world.class_b)

    link = carer_link_create(
        actor=Actor.for_user(world.users["dsl"]),
        pupil=sibling,
        carer=world.carer,
        relationship=CarerRelationship.MOTHER,
    )

    assert list(sibling.carers.all()) == [world.carer]
    event = AccessEvent.objects.get(subject_id=str(link.pk), pupil_id=sibling.pk)
    assert event.user_id == world.users["dsl"].pk


def test_the_same_carer_is_linked_to_a_pupil_once(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        CarerLink.objects.create(
            pupil=world.pupil, carer=world.carer, relationship=CarerRelationship.MOTHER
        )


def test_restricted_contact_needs_a_reason(world):
    link = world.pupil.carer_links.get()
    link.contact_restricted = True
    with pytest.raises(ValidationError) as refused:
        link.full_clean()
    assert "restriction_reason" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()
    link.restriction_reason = "Court order: no contact"
    link.full_clean()
    link.save()


# --- The migration -------------------------------------------------------------------------

BEFORE = [("schools", "0005_calendar")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_carer_row_becomes_one_person_and_one_link_keeping_its_id(world):
    sibling = PupilFactory(school_class=world.class_b, last_name="Marsh")
    old = migrate(BEFORE)
    try:
        OldCarer = old.get_model("schools", "Carer")
        (dana,) = OldCarer.objects.filter(pupil_id=world.pupil.pk)  # the world's, migrated back
        again = OldCarer.objects.create(
            pupil_id=sibling.pk,
            full_name="Dana Marsh",
            relationship="mother",
            has_parental_responsibility=False,
            priority=2,
            phone="07700 900123",
        )
    finally:
        new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    Carer = new.get_model("schools", "Carer")
    CarerLink = new.get_model("schools", "CarerLink")
    assert Carer.objects.get(pk=dana.pk).school_id == world.school.pk
    # Not merged: the MIS import links siblings' shared carers.
    assert Carer.objects.get(pk=again.pk).full_name == "Dana Marsh"
    link = CarerLink.objects.get(carer_id=again.pk)
    assert (link.pupil_id, link.relationship, link.has_parental_responsibility, link.priority) == (
        sibling.pk,
        "mother",
        False,
        2,
    )
    assert CarerLink.objects.get(carer_id=dana.pk).pupil_id == world.pupil.pk
