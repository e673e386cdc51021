"""Immediate concerns are never lost: notifications are written with the concern, sent by a
sweep that a broker outage only delays, sent once, and chased when nobody acknowledges."""

import datetime
import time
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from kombu.exceptions import OperationalError

from core.actor import Actor
from core.outbox import retry_wait, send_pending
from core.tasks import send_outbox
from safeguarding.models import Concern, Notification, NotificationKind, SafeguardingSettings
from safeguarding.services import concern_acknowledge, notifications_for_unacknowledged
from safeguarding.tasks import check_unacknowledged
from schools.models import Role
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tests.outbox import assert_links_are_absolute, mail_server_down
from tests.safeguarding.test_concern_journey import NEW_URL, concern_data

RAISED_AT = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def deputy(world):
    user = UserFactory(full_name="North Deputy")
    MembershipFactory(user=user, school=world.school, role=Role.DEPUTY_DSL, site=world.north)
    return user


def raise_immediate(world, django_capture_on_commit_callbacks) -> Concern:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["teacher"]).post(
            NEW_URL, concern_data(world, happened_at="")
        )
    assert response.status_code == 302
    return Concern.objects.get()


def test_a_broker_outage_delays_the_email_but_never_drops_it_or_fails_the_request(
    world, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    with mock.patch.object(
        send_outbox, "apply_async", side_effect=OperationalError("down")
    ) as nudge:
        started = time.monotonic()
        concern = raise_immediate(world, django_capture_on_commit_callbacks)
        assert time.monotonic() - started < 5
    assert nudge.called
    assert Notification.objects.filter(concern=concern, sent_at__isnull=True).count() == 2
    assert mailoutbox == []

    assert send_pending(Notification) == 2
    assert {m.to[0] for m in mailoutbox} == {world.users["dsl"].email, deputy.email}
    for message in mailoutbox:
        assert message.subject == "An immediate safeguarding concern needs you"
        assert reverse("safeguarding:concern_detail", args=[concern.pk]) in message.body
        assert_links_are_absolute(
            message.body, reverse("safeguarding:concern_detail", args=[concern.pk])
        )
        for private in ("Ellis", "Marsh", "no food", "Mum said"):
            assert private not in message.subject + message.body
    assert not Notification.objects.filter(sent_at__isnull=True).exists()

    # The sweep again sends nothing.
    assert send_pending(Notification) == 0
    assert len(mailoutbox) == 2


def test_a_failed_send_is_kept_for_the_next_sweep(
    world, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    with mock.patch.object(send_outbox, "apply_async"):
        raise_immediate(world, django_capture_on_commit_callbacks)
    with mail_server_down():
        assert send_pending(Notification) == 0
    failed = Notification.objects.first()
    assert (failed.sent_at, failed.attempts, failed.last_error) == (
        None,
        1,
        "ConnectionRefusedError",
    )
    with time_machine.travel(retry_wait(1)):  # the next sweep after the first retry's wait
        assert send_pending(Notification) == 2


def test_unacknowledged_it_reminds_the_team_at_sixteen_minutes_and_escalates_at_thirty_once(
    world, deputy, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(send_outbox, "apply_async"),
        time_machine.travel(RAISED_AT, tick=False) as clock,
    ):
        concern = raise_immediate(world, django_capture_on_commit_callbacks)
        clock.shift(datetime.timedelta(minutes=14))
        assert check_unacknowledged() == 0
        assert not Notification.objects.exclude(kind=NotificationKind.IMMEDIATE_CONCERN).exists()
        clock.shift(datetime.timedelta(minutes=2))
        assert check_unacknowledged() == 1
        assert check_unacknowledged() == 0
        assert not Notification.objects.filter(kind=NotificationKind.ESCALATION).exists()
        clock.shift(datetime.timedelta(minutes=14))  # twice the limit: the headteacher
        assert check_unacknowledged() == 1
        assert check_unacknowledged() == 0
        notifications_for_unacknowledged()
    chased = set(
        Notification.objects.exclude(kind=NotificationKind.IMMEDIATE_CONCERN).values_list(
            "recipient", "kind"
        )
    )
    assert chased == {
        (world.users["dsl"].pk, NotificationKind.REMINDER),
        (deputy.pk, NotificationKind.REMINDER),
        (world.users["headteacher"].pk, NotificationKind.ESCALATION),
    }
    assert Notification.objects.count() == 5
    concern.refresh_from_db()
    assert concern.reminded_at == RAISED_AT + datetime.timedelta(minutes=16)
    assert concern.escalated_at == RAISED_AT + datetime.timedelta(minutes=30)


def test_an_acknowledged_concern_is_not_chased(world, deputy, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(send_outbox, "apply_async"),
        time_machine.travel(RAISED_AT, tick=False) as clock,
    ):
        concern = raise_immediate(world, django_capture_on_commit_callbacks)
        clock.shift(datetime.timedelta(minutes=10))
        concern_acknowledge(actor=Actor.for_user(world.users["dsl"]), concern=concern)
        clock.shift(datetime.timedelta(minutes=30))
        assert check_unacknowledged() == 0
    assert Notification.objects.count() == 2


def test_a_schools_own_time_limit_is_used(world, deputy, django_capture_on_commit_callbacks):
    SafeguardingSettings.objects.create(school=world.school, acknowledge_within_minutes=5)
    with (
        mock.patch.object(send_outbox, "apply_async"),
        time_machine.travel(RAISED_AT, tick=False) as clock,
    ):
        raise_immediate(world, django_capture_on_commit_callbacks)
        clock.shift(datetime.timedelta(minutes=4))
        assert check_unacknowledged() == 0
        clock.shift(datetime.timedelta(minutes=2))
        assert check_unacknowledged() == 1


@pytest.fixture
def unreachable_broker():
    """Point Celery at a port where no broker listens (as when Redis is stopped), with a
    fresh connection pool, and put everything back afterwards."""
    from kombu import pools

    from remote_learning.celery import app

    def fresh_pools() -> None:
        # The app's connection pool, its producer pool and kombu's shared pools (a closed
        # pool left behind makes every later send fail with "Acquire on closed pool").
        app.pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        pools.reset()

    original = app.conf.broker_url
    fresh_pools()
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield
    fresh_pools()
    app.conf.broker_url = original


def test_with_the_broker_really_down_raising_a_concern_is_quick_and_the_email_follows(
    world, deputy, mailoutbox, django_capture_on_commit_callbacks, unreachable_broker, caplog
):
    started = time.monotonic()
    with caplog.at_level("WARNING", logger="core.queue"):
        concern = raise_immediate(world, django_capture_on_commit_callbacks)
    assert time.monotonic() - started < 10
    # The nudge really went to the (dead) broker and failed, without failing the request.
    assert "Broker unavailable" in caplog.text
    assert Notification.objects.filter(concern=concern, sent_at__isnull=True).count() == 2
    assert mailoutbox == []

    # The broker is back: the next sweep (beat, every minute) sends each email once.
    assert send_pending(Notification) == 2
    assert send_pending(Notification) == 0
    assert len(mailoutbox) == 2
