"""The one outbox: every email the service sends is a row, claimed with SKIP LOCKED, sent with
no lock held, marked one by one, and retried under one rule."""

import datetime
import threading
from unittest import mock

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from contacts.models import FamilyMessageDelivery
from core import outbox
from core.links import site_url
from core.outbox import (
    LEASE,
    MAX_ATTEMPTS,
    NO_RECIPIENT,
    OutboxStatus,
    outboxes,
    retry_wait,
    send_pending,
)
from core.tasks import outbox_nudge, send_outbox, sweep_outboxes
from dpo.models import Breach, BreachNotification, NotificationKind
from governance.models import PolicyReviewNotice
from safeguarding.models import Notification
from tests.factories import SchoolFactory, UserFactory
from tests.outbox import assert_links_are_absolute, mail_server_down

NOW = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


def breach_emails(count: int = 1) -> list[BreachNotification]:
    """``count`` breach emails waiting, each to its own person, in the order written."""
    school = SchoolFactory()
    breach = Breach.objects.create(
        school=school,
        reported_by=UserFactory(),
        what_happened="A register was left on a train.",
        discovered_at=timezone.now(),
        data_affected="Names",
    )
    return [
        BreachNotification.objects.create(
            recipient=UserFactory(), breach=breach, kind=NotificationKind.FLAGGED
        )
        for _ in range(count)
    ]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_every_outbox_is_found_without_core_importing_an_app():
    assert set(outboxes()) >= {
        Notification,
        BreachNotification,
        PolicyReviewNotice,
        FamilyMessageDelivery,
    }


def test_a_message_is_sent_once_with_an_absolute_link_and_never_again(db, clock, mailoutbox):
    [email] = breach_emails()

    assert send_pending(BreachNotification) == 1
    assert send_pending(BreachNotification) == 0
    clock.shift(datetime.timedelta(days=1))
    assert send_pending() == 0

    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_at, email.next_attempt_at) == (
        OutboxStatus.SENT,
        1,
        NOW,
        None,
    )
    [message] = mailoutbox
    assert message.to == [email.recipient.email]
    assert_links_are_absolute(message.body, reverse("dpo:breach_detail", args=[email.breach_id]))


def test_a_sent_message_is_not_sent_again_even_if_it_falls_due(db, clock, mailoutbox):
    [email] = breach_emails()
    send_pending(BreachNotification)
    BreachNotification.objects.filter(pk=email.pk).update(next_attempt_at=NOW)

    assert send_pending(BreachNotification) == 0
    assert len(mailoutbox) == 1


def test_a_failure_records_the_error_and_the_attempt_and_waits_before_the_retry(
    db, clock, mailoutbox
):
    [email] = breach_emails()
    with mail_server_down():
        assert send_pending(BreachNotification) == 0
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error, email.sent_at) == (
        OutboxStatus.PENDING,
        1,
        "ConnectionRefusedError",
        None,
    )
    assert email.next_attempt_at == NOW + MINUTE

    clock.shift(MINUTE - datetime.timedelta(seconds=1))
    assert send_pending(BreachNotification) == 0
    clock.shift(datetime.timedelta(seconds=1))
    assert send_pending(BreachNotification) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 2)
    assert len(mailoutbox) == 1


def test_the_wait_doubles_up_to_an_hour():
    assert [retry_wait(n) for n in range(1, 10)] == [
        datetime.timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60, 60)
    ]


def test_after_the_last_attempt_the_message_is_given_up_and_kept(
    db, clock, mailoutbox, monkeypatch
):
    # Family messages and policy notices give up; breach emails do not (next test), so the
    # rule is shown on a breach email told to give up like the others.
    monkeypatch.setattr(BreachNotification, "give_up_after", MAX_ATTEMPTS)
    [email] = breach_emails()
    with mail_server_down():
        for attempt in range(1, MAX_ATTEMPTS + 1):
            assert send_pending(BreachNotification) == 0
            clock.shift(retry_wait(attempt))
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at, email.last_error) == (
        OutboxStatus.FAILED,
        MAX_ATTEMPTS,
        None,
        "ConnectionRefusedError",
    )
    clock.shift(datetime.timedelta(days=7))
    assert send_pending(BreachNotification) == 0
    assert mailoutbox == []


@pytest.mark.parametrize("outbox", [BreachNotification, Notification])
def test_a_safeguarding_or_breach_alert_is_never_given_up(outbox):
    assert outbox.give_up_after is None
    assert FamilyMessageDelivery.give_up_after == PolicyReviewNotice.give_up_after == MAX_ATTEMPTS


def test_an_alert_that_never_gives_up_is_still_tried_hourly_and_sent_when_mail_is_back(
    db, clock, mailoutbox
):
    [email] = breach_emails()
    with mail_server_down():
        for attempt in range(1, MAX_ATTEMPTS + 5):
            assert send_pending(BreachNotification) == 0
            clock.shift(retry_wait(attempt))
    email.refresh_from_db()
    assert email.status == OutboxStatus.PENDING
    assert email.next_attempt_at - timezone.now() <= datetime.timedelta(hours=1)

    clock.shift(datetime.timedelta(hours=1))
    assert send_pending(BreachNotification) == 1
    assert len(mailoutbox) == 1


def test_a_message_with_nobody_to_send_to_fails_at_once(db, clock, mailoutbox):
    [email] = breach_emails()
    email.recipient.email = ""
    email.recipient.save()

    assert send_pending(BreachNotification) == 0
    email.refresh_from_db()
    assert (email.status, email.last_error, email.next_attempt_at) == (
        OutboxStatus.FAILED,
        NO_RECIPIENT,
        None,
    )
    assert mailoutbox == []


def test_a_message_claimed_by_a_worker_that_died_is_sent_once_its_lease_runs_out(
    db, clock, mailoutbox
):
    breach_emails()
    claimed = outbox._claim(BreachNotification)  # the worker dies here, before SMTP
    assert claimed is not None

    assert send_pending(BreachNotification) == 0
    clock.shift(LEASE)
    assert send_pending(BreachNotification) == 1
    claimed.refresh_from_db()
    assert (claimed.status, claimed.attempts) == (OutboxStatus.SENT, 2)
    assert len(mailoutbox) == 1


def test_messages_go_out_in_the_order_they_fell_due(db, clock, mailoutbox):
    emails = breach_emails(3)
    send_pending(BreachNotification)
    assert [m.to[0] for m in mailoutbox] == [e.recipient.email for e in emails]


def test_a_batch_is_capped_and_the_rest_waits_for_the_next_run(db, clock, mailoutbox):
    breach_emails(3)
    assert send_pending(BreachNotification, batch=2) == 2
    assert send_pending(BreachNotification, batch=2) == 1


def test_the_nudge_names_the_outbox_and_is_sent_after_commit(
    db, django_capture_on_commit_callbacks
):
    with mock.patch.object(send_outbox, "apply_async") as nudge:
        with django_capture_on_commit_callbacks(execute=True):
            outbox_nudge(BreachNotification)
            assert not nudge.called
        nudge.assert_called_once_with(args=("dpo.BreachNotification",), kwargs={})


def test_the_nudged_task_sends_its_outbox_and_the_sweep_sends_every_outbox(db, clock, mailoutbox):
    breach_emails(2)
    assert send_outbox("dpo.BreachNotification") == 2
    breach_emails(1)
    assert sweep_outboxes() == 1


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_the_mail_server_is_spoken_to(mailoutbox):
    breach_emails(2)
    seen = []

    def send_messages(backend, messages):
        seen.append(connection.in_atomic_block)
        return len(messages)

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", send_messages):
        assert send_pending(BreachNotification) == 2
    assert seen == [False, False]


@pytest.mark.django_db(transaction=True)
def test_a_claim_skips_a_row_another_worker_has_locked():
    # Real row locks need real transactions and a server: PostgreSQL only.
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is checked on PostgreSQL")
    first, second = breach_emails(2)
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                BreachNotification.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        claimed = outbox._claim(BreachNotification)
        assert claimed is not None and claimed.pk == second.pk
        # The locked row is skipped, not waited for.
        assert outbox._claim(BreachNotification) is None
    finally:
        release.set()
        thread.join(timeout=30)
    assert outbox._claim(BreachNotification).pk == first.pk


def test_site_url_makes_a_path_absolute(settings):
    settings.SITE_URL = "https://school.example/"
    assert site_url("/dpo/breaches/3/") == "https://school.example/dpo/breaches/3/"
    with pytest.raises(ValueError, match="from the site's root"):
        site_url("dpo/breaches/3/")


@pytest.mark.parametrize(
    ("site_url_setting", "ok"),
    [
        ("https://school.example", True),
        ("https://school.example/", True),
        ("http://school.example", False),
        ("", False),
        ("school.example", False),
        ("https://", False),
        ("https://school.example/remote/", False),
    ],
)
def test_the_deploy_check_wants_an_https_site_address(settings, site_url_setting, ok):
    from core.checks import check_site_url

    settings.SITE_URL = site_url_setting
    assert [error.id for error in check_site_url()] == ([] if ok else ["core.E001"])
