"""Referrals recorded before their date was asked for are dated the day they were recorded,
and, having no expected response, are never flagged as overdue."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from safeguarding.rules import flag_overdue_referrals
from tests.safeguarding.matrix_concerns import concern_for

BEFORE = [("safeguarding", "0009_chronology_print")]
AFTER = [("safeguarding", "0010_referral_timescales_responses_chases")]
RECORDED = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)  # 00:30 BST, 1 July


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_earlier_referrals_are_dated_the_day_they_were_recorded_in_london(world):
    concern = concern_for(world)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE)
        Referral = old.get_model("safeguarding", "Referral")
        referral = Referral.objects.create(
            concern_id=concern.pk, agency="social_care", made_by_id=world.users["dsl"].pk
        )
        Referral.objects.filter(pk=referral.pk).update(made_at=RECORDED)
        new = migrate(AFTER)
        migrated = new.get_model("safeguarding", "Referral").objects.get(pk=referral.pk)
        assert migrated.referred_on == datetime.date(2026, 7, 1)
        assert (migrated.response_due_on, migrated.due_on) == (None, None)
    finally:
        migrate(leaves)
    assert flag_overdue_referrals(timezone.localdate() + datetime.timedelta(days=400)) == 0
