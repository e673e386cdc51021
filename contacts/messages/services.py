"""Emailing a group of families: the message and one delivery per family are written in one
transaction, then sent one by one after commit (policy 5.2). A broker outage delays sending;
the sweep sends anything left waiting."""

import logging
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from contacts.messages.permissions import Audience, audiences_for
from contacts.models import DeliveryStatus, FamilyMessage, FamilyMessageDelivery, MessageScope
from core.actor import Actor
from core.mailing import family_email, send_one
from core.queue import enqueue_on_commit
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from schools.models import Carer, Pupil

logger = logging.getLogger(__name__)

SEND_BATCH = 200
MAX_ATTEMPTS = 5


def audience_pupils(audience: Audience) -> QuerySet[Pupil]:
    pupils = Pupil.objects.filter(school_id=audience.school_id, on_roll=True)
    if audience.scope == MessageScope.CLASS:
        return pupils.filter(school_class_id=audience.class_id)
    if audience.scope == MessageScope.SITE:
        return pupils.filter(school_class__site_id=audience.site_id)
    return pupils


def _words(text: str) -> str:
    return " ".join(re.findall(r"[\w'-]+", text.lower()))


def _named_pupil(pupils: QuerySet[Pupil], text: str) -> str | None:
    """The first pupil in the group whose full name appears in the text, if any."""
    words = f" {_words(text)} "
    for first, preferred, last in pupils.values_list("first_name", "preferred_name", "last_name"):
        for given in filter(None, (first, preferred)):
            if f" {_words(f'{given} {last}')} " in words:
                return f"{given} {last}"
    return None


@transaction.atomic
def family_message_send(
    *,
    actor: Actor,
    audience_key: str,
    subject: str,
    body: str,
) -> FamilyMessage:
    """Record a message to every family in the group and queue one email per family.

    Families are carers with an email address, one message per address (siblings' parents
    get one copy). A message that names a child in the group is refused: it goes to every
    family, so it must carry no child's personal information.
    """
    audience = next((a for a in audiences_for(actor.user) if a.key == audience_key), None)
    if audience is None:
        raise ValidationError({"audience": "Choose a group of families you can write to."})
    pupils = audience_pupils(audience)
    named = _named_pupil(pupils, f"{subject}\n{body}")
    if named:
        raise ValidationError(
            {"body": f"This message names {named}. It goes to every family, so remove the name."}
        )
    message = FamilyMessage(
        school_id=audience.school_id,
        scope=audience.scope,
        site_id=audience.site_id,
        school_class_id=audience.class_id,
        subject=subject.strip(),
        body=body.strip(),
        sent_by=actor.user,
    )
    message.full_clean()
    carers = (
        Carer.objects.filter(pupil__in=pupils)
        .exclude(email="")
        .annotate(email_key=Lower("email"))
        .order_by("email_key", "priority", "id")
        .values_list("id", "pupil_id", "email_key")
    )
    first_carer_per_address: dict[str, tuple[int, int]] = {}
    for carer_id, pupil_id, address in carers:
        first_carer_per_address.setdefault(address, (carer_id, pupil_id))
    reached_pupils = {pupil_id for _, pupil_id in first_carer_per_address.values()}
    all_pupils = set(pupils.values_list("pk", flat=True))
    message.families_without_email = len(all_pupils - reached_pupils)
    if not first_carer_per_address:
        raise ValidationError(
            {"audience": "No family in this group has an email address. Contact them another way."}
        )
    message.save()
    FamilyMessageDelivery.objects.bulk_create(
        FamilyMessageDelivery(message=message, carer_id=carer_id, pupil_id=pupil_id)
        for carer_id, pupil_id in first_carer_per_address.values()
    )
    access_record(
        action=AccessAction.CREATE,
        actor=actor,
        subject=message,
        detail=f"message to {len(first_carer_per_address)} families",
    )
    access_record_many(
        action=AccessAction.EXPORT,
        actor=actor,
        subjects=[(message, pupil_id) for pupil_id in sorted(reached_pupils)],
        detail="carer's email used for a message to families",
    )
    from contacts.tasks import send_family_messages  # the task module imports this one

    enqueue_on_commit(send_family_messages, message.pk)
    return message


def family_messages_send_pending(*, message_id: int | None = None, batch: int = SEND_BATCH) -> int:
    """Send waiting deliveries, one email each. Safe to run concurrently and again: rows are
    claimed with SKIP LOCKED and a sent row is never sent again. Logs carry ids only."""
    sent = 0
    with transaction.atomic():
        pending = FamilyMessageDelivery.objects.select_for_update(
            skip_locked=True, of=("self",)
        ).filter(status=DeliveryStatus.PENDING, attempts__lt=MAX_ATTEMPTS)
        if message_id is not None:
            pending = pending.filter(message_id=message_id)
        rows = list(
            pending.select_related("message", "message__school", "carer").order_by("id")[:batch]
        )
        for delivery in rows:
            delivery.attempts += 1
            address = delivery.carer.email if delivery.carer else ""
            if not address:
                delivery.status = DeliveryStatus.FAILED
                delivery.last_error = "no email address"
                continue
            email = family_email(
                subject=delivery.message.subject,
                body=delivery.message.body,
                address=address,
                school_name=delivery.message.school.name,
            )
            try:
                send_one(email)
            except Exception as error:
                delivery.last_error = type(error).__name__[:100]
                if delivery.attempts >= MAX_ATTEMPTS:
                    delivery.status = DeliveryStatus.FAILED
                logger.warning("Family message delivery %s not sent; will retry.", delivery.pk)
            else:
                delivery.status = DeliveryStatus.SENT
                delivery.sent_at = timezone.now()
                sent += 1
        FamilyMessageDelivery.objects.bulk_update(
            rows, ["status", "attempts", "sent_at", "last_error"]
        )
    return sent
