"""Moving the existing notification tables onto the outbox keeps every row and says truly
which were sent, which were given up and which are still due."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from contacts.models import FamilyMessage, MessageScope
from core.outbox import OutboxStatus
from governance.models import PolicyStatus
from tests.governance.factories import version

BEFORE = [
    ("contacts", "0002_family_messages"),
    ("dpo", "0002_subject_access_request"),
    ("governance", "0001_initial"),
]
AFTER = [
    ("contacts", "0004_outbox_state"),
    ("dpo", "0004_outbox_state"),
    ("governance", "0003_outbox_state"),
]
WRITTEN = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_outbox_migrations_keep_every_row_and_its_state(world, migrations_restored):
    school, user = world.school, world.users["dpo"]
    policy = version(world, status=PolicyStatus.APPROVED)
    message = FamilyMessage.objects.create(
        school=school,
        scope=MessageScope.SCHOOL,
        subject="Closed",
        body="Closed on Friday.",
        sent_by=user,
        created_at=WRITTEN,
    )
    old = migrate(BEFORE)
    try:
        Breach = old.get_model("dpo", "Breach")
        breach = Breach.objects.create(
            school_id=school.pk,
            reported_by_id=user.pk,
            what_happened="x",
            discovered_at=WRITTEN,
            data_affected="y",
        )
        Email = old.get_model("dpo", "BreachNotification")
        sent = Email.objects.create(
            recipient_id=user.pk, breach=breach, kind="flagged", sent_at=WRITTEN, attempts=1
        )
        due = Email.objects.create(recipient_id=user.pk, breach=breach, kind="24h", attempts=3)
        Notice = old.get_model("governance", "PolicyReviewNotice")
        given_up = Notice.objects.create(version_id=policy.pk, kind="overdue", attempts=5)
        waiting = Notice.objects.create(version_id=policy.pk, kind="due_soon", attempts=2)
        Delivery = old.get_model("contacts", "FamilyMessageDelivery")
        delivered = Delivery.objects.create(
            message_id=message.pk, pupil_id=1, status="sent", attempts=1, sent_at=WRITTEN
        )
        pending = Delivery.objects.create(message_id=message.pk, pupil_id=2)
    finally:
        new = migrate(AFTER)

    def state(model, pk):
        row = model.objects.get(pk=pk)
        return row.status, row.attempts, row.next_attempt_at is None

    Email = new.get_model("dpo", "BreachNotification")
    assert state(Email, sent.pk) == (OutboxStatus.SENT, 1, True)
    assert state(Email, due.pk) == (OutboxStatus.PENDING, 3, False)
    assert Email.objects.get(pk=due.pk).next_attempt_at <= timezone.now()
    Notice = new.get_model("governance", "PolicyReviewNotice")
    assert state(Notice, given_up.pk) == (OutboxStatus.FAILED, 5, True)
    assert state(Notice, waiting.pk) == (OutboxStatus.PENDING, 2, False)
    Delivery = new.get_model("contacts", "FamilyMessageDelivery")
    assert state(Delivery, delivered.pk) == (OutboxStatus.SENT, 1, True)
    assert state(Delivery, pending.pk) == (OutboxStatus.PENDING, 0, False)
    assert set(Delivery.objects.values_list("created_at", flat=True)) == {WRITTEN}
