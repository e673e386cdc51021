"""The default concern categories follow KCSIE's headings: a new school has them from the
moment it is created, and existing schools gained the missing ones through a migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.actor import Actor
from safeguarding.models import ConcernCategory
from safeguarding.services import DEFAULT_CATEGORIES, concern_categories_ensure
from schools.structure.services import school_create
from tests.factories import SchoolFactory

KCSIE_HEADINGS = {
    "Physical abuse",
    "Emotional abuse",
    "Sexual abuse",
    "Neglect",
    "Child-on-child abuse",
    "Child criminal exploitation",
    "Child sexual exploitation",
    "Online safety",
    "Radicalisation",
    "Domestic abuse",
    "Mental health",
}
ALREADY_THERE = {"Emotional wellbeing", "Physical harm", "Family circumstances", "Other"}


def test_the_defaults_are_kcsies_headings_and_those_already_there():
    assert set(DEFAULT_CATEGORIES) == KCSIE_HEADINGS | ALREADY_THERE
    assert len(DEFAULT_CATEGORIES) == len(set(DEFAULT_CATEGORIES))


@pytest.mark.django_db
def test_a_new_school_has_the_default_categories_from_its_creation():
    created = school_create(
        actor=Actor.system(),
        urn="765432",
        name="Larkfield School",
        local_authority="Midshire",
        email="head@larkfield.example",
        full_name="Robin Ade",
    )
    names = set(
        ConcernCategory.objects.filter(school=created.school, active=True).values_list(
            "name", flat=True
        )
    )
    assert names == set(DEFAULT_CATEGORIES)


@pytest.mark.django_db
def test_a_school_without_categories_gets_the_defaults_on_first_use():
    school = SchoolFactory()
    assert {c.name for c in concern_categories_ensure(school=school)} == set(DEFAULT_CATEGORIES)


BEFORE = [("safeguarding", "0005_sessionfamilyagreement_household_not_seen_or_heard")]
AFTER = [("safeguarding", "0006_concern_categories_kcsie_defaults")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_existing_schools_gain_the_missing_defaults_and_keep_their_own_choices():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE).loader.project_state(BEFORE).apps
        school = old.get_model("schools", "School").objects.create(
            urn="654321", name="Old School", local_authority="Midshire"
        )
        categories = old.get_model("safeguarding", "ConcernCategory").objects
        categories.create(school_id=school.pk, name="Neglect", active=False)
        categories.create(school_id=school.pk, name="ONLINE SAFETY")
        categories.create(school_id=school.pk, name="Bullying")

        new = migrate(AFTER).loader.project_state(AFTER).apps
        rows = dict(
            new.get_model("safeguarding", "ConcernCategory")
            .objects.filter(school_id=school.pk)
            .values_list("name", "active")
        )
        # A category the school switched off stays off; its own spelling and its own
        # categories stay; every other default is added, once.
        assert rows["Neglect"] is False
        assert "Online safety" not in rows and rows["ONLINE SAFETY"] is True
        assert rows["Bullying"] is True
        assert set(rows) == (set(DEFAULT_CATEGORIES) - {"Neglect", "Online safety"}) | {
            "Neglect",
            "ONLINE SAFETY",
            "Bullying",
        }
        migrate(BEFORE)
        migrate(AFTER)
        assert categories.model.objects.filter(school_id=school.pk).count() == len(rows)
    finally:
        migrate(leaves)
