"""One outbox for every email the service sends.

A message is a row, written in the same transaction as the event it is about, so a broker or
mail outage delays it and never loses it. Each concrete outbox (a subclass of
``OutboxMessage``) says only who the email goes to and what it says; ``send_pending`` is the
one loop that sends them all, under one retry rule.

Sending is claim → commit → send → mark, one message at a time: a row is claimed with
SKIP LOCKED in a short transaction that also leases it (moves its next attempt a while ahead),
the lock is released before the mail server is spoken to, and the outcome is written in its
own statement. No lock is held during SMTP, and a worker that dies mid-send leaves only the
one message in flight to be sent again when its lease runs out.

The retry rule: wait one minute after the first failure and twice as long after each further
one, at most an hour. An outbox gives up after ``give_up_after`` tries (``MAX_ATTEMPTS``
unless it says otherwise) and leaves the message marked "could not be sent" with its last
error; a safeguarding alert never gives up (``give_up_after = None``): it is tried hourly until
the mail server takes it. A message with nobody to send to fails at once.
"""

import datetime
import logging

from django.apps import apps
from django.core.mail import EmailMessage, mailers
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY_WAIT = datetime.timedelta(minutes=1)
LONGEST_RETRY_WAIT = datetime.timedelta(hours=1)
# Longer than the mail server's timeout (10 s), so a slow send is never claimed twice.
LEASE = datetime.timedelta(minutes=10)
BATCH = 200
NO_RECIPIENT = "no email address"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


def retry_wait(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failed try before the next one."""
    return min(FIRST_RETRY_WAIT * 2 ** (attempts - 1), LONGEST_RETRY_WAIT)


class OutboxMessage(models.Model):
    """One email waiting to be sent, or the record that it was (or could not be).

    Subclasses add what the email is about and implement ``email_recipients``,
    ``email_subject`` and ``email_body``.
    """

    # Tries before it is marked "could not be sent"; None: keep trying (at most hourly).
    give_up_after: int | None = MAX_ATTEMPTS

    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        default=timezone.now,
        db_index=True,
        help_text="When it is next due to be tried; empty once sent or given up.",
    )
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def email_recipients(self) -> list[str]:
        """The addresses it goes to; none means it cannot be sent."""
        raise NotImplementedError

    def email_subject(self) -> str:
        raise NotImplementedError

    def email_body(self) -> str:
        """The text, with every link absolute (``core.links.site_url``)."""
        raise NotImplementedError

    def forget_after_sending(self) -> dict[str, object]:
        """Fields to blank once the mail server has it (a secret only the email may carry)."""
        return {}


def outboxes() -> list[type[OutboxMessage]]:
    """Every concrete outbox of the installed apps."""
    return [model for model in apps.get_models() if issubclass(model, OutboxMessage)]


def _claim(model: type[OutboxMessage]) -> OutboxMessage | None:
    """The next message due, leased to this worker and counted as an attempt, or None."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            model.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        message.next_attempt_at = now + LEASE
        message.save(update_fields=["attempts", "next_attempt_at"])
    return message


def _mark(message: OutboxMessage, **fields: object) -> None:
    type(message).objects.filter(pk=message.pk, status=OutboxStatus.PENDING).update(**fields)


def _fail(message: OutboxMessage, error: str, *, final: bool) -> None:
    limit = message.give_up_after
    given_up = final or (limit is not None and message.attempts >= limit)
    _mark(
        message,
        status=OutboxStatus.FAILED if given_up else OutboxStatus.PENDING,
        next_attempt_at=None if given_up else timezone.now() + retry_wait(message.attempts),
        last_error=error[:300],
    )
    # Ids only in the log: nothing about a person.
    logger.warning(
        "%s %s not sent (attempt %s)%s.",
        message._meta.label,
        message.pk,
        message.attempts,
        "; given up" if given_up else "; will retry",
    )


def _send(message: OutboxMessage) -> bool:
    to = [address for address in message.email_recipients() if address]
    if not to:
        _fail(message, NO_RECIPIENT, final=True)
        return False
    email = EmailMessage(subject=message.email_subject(), body=message.email_body(), to=to)
    try:
        mailers.default.send_messages([email])
    except Exception as error:
        _fail(message, type(error).__name__, final=False)
        return False
    _mark(
        message,
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        next_attempt_at=None,
        **message.forget_after_sending(),
    )
    return True


def send_pending(model: type[OutboxMessage] | None = None, *, batch: int = BATCH) -> int:
    """Send what is due in one outbox (or every outbox), up to ``batch`` messages each, and
    return how many were sent. Safe to run concurrently and again: a claimed row is skipped by
    other workers, and a sent row is never sent again.

    Call it outside any transaction (a task does): each claim must commit before its send.
    """
    sent = 0
    for outbox in [model] if model is not None else outboxes():
        for _ in range(batch):
            message = _claim(outbox)
            if message is None:
                break
            sent += _send(message)
    return sent
