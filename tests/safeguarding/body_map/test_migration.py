"""Existing schools' physical categories record a body map from the migration that adds it,
however the school spelt them; their other categories do not."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safeguarding.models import ConcernCategory
from tests.factories import SchoolFactory

BEFORE = [("safeguarding", "0010_referral_timescales_responses_chases")]
AFTER = [("safeguarding", "0011_body_map")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_existing_physical_categories_record_a_body_map(migrations_restored):
    school = SchoolFactory()
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            for name in ("PHYSICAL ABUSE", "Physical harm", "Neglect"):
                cursor.execute(
                    "INSERT INTO safeguarding_concerncategory (school_id, name, active) "
                    "VALUES (%s, %s, %s)",
                    [school.pk, name, True],
                )
    finally:
        migrate(AFTER)
    recording = set(
        ConcernCategory.objects.filter(school=school, records_body_map=True).values_list(
            "name", flat=True
        )
    )
    assert recording == {"PHYSICAL ABUSE", "Physical harm"}
