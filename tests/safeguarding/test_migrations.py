"""Concerns closed before a reason for closing was required keep their outcome and say plainly
that the reason was not recorded, so the new constraint holds for every row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from safeguarding.services import concern_categories_ensure

BEFORE = [("safeguarding", "0006_concern_categories_kcsie_defaults")]
AFTER = [("safeguarding", "0007_concern_close_reason_chasing_and_action_flags")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_earlier_closed_concerns_are_marked_reason_not_recorded(world):
    category = concern_categories_ensure(school=world.school)[0]
    old = migrate(BEFORE)
    try:
        Concern = old.get_model("safeguarding", "Concern")
        common = {
            "pupil_id": world.pupil.pk,
            "category_id": category.pk,
            "urgency": "routine",
            "what_happened": "x",
            "happened_at": timezone.now(),
            "raised_by_id": world.users["teacher"].pk,
        }
        closed = Concern.objects.create(status="closed", outcome="No further action", **common)
        still_open = Concern.objects.create(**common)
    finally:
        new = migrate(AFTER)
    try:
        Concern = new.get_model("safeguarding", "Concern")
        assert Concern.objects.get(pk=closed.pk).close_reason.startswith("Not recorded")
        assert Concern.objects.get(pk=closed.pk).outcome == "No further action"
        assert Concern.objects.get(pk=still_open.pk).close_reason == ""
    finally:
        # The tests after this one need the schema of every later migration.
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
