"""Emailing a group of families: the message and one delivery per family are written in one
transaction, then the outbox sends them one by one after commit (policy 5.2). A broker outage
delays sending; the outbox's sweep sends anything left waiting."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower

from contacts.messages.permissions import Audience, audiences_for
from contacts.models import FamilyMessage, FamilyMessageDelivery, MessageScope
from core.actor import Actor
from core.tasks import outbox_nudge
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from schools.models import Carer, Pupil


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
    outbox_nudge(FamilyMessageDelivery)
    return message
