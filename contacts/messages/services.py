"""Emailing a group of families: the message and one delivery per family are written in one
transaction, then the outbox sends them one by one after commit (policy 5.2). A broker outage
delays sending; the outbox's sweep sends anything left waiting."""

import re
import unicodedata
from dataclasses import dataclass

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
from schools.models import CarerLink, Pupil

WORD = re.compile(r"\w+")


def audience_pupils(audience: Audience) -> QuerySet[Pupil]:
    pupils = Pupil.objects.filter(school_id=audience.school_id, on_roll=True)
    if audience.scope == MessageScope.CLASS:
        return pupils.filter(school_class_id=audience.class_id)
    if audience.scope == MessageScope.SITE:
        return pupils.filter(school_class__site_id=audience.site_id)
    return pupils


def _fold(word: str) -> str:
    """A word as compared: case and accents ignored, so "ZOË" and "zoe" are one name."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _tokens(text: str) -> list[re.Match]:
    return list(WORD.finditer(text))


def _name_phrases(name: str) -> list[tuple[str, ...]]:
    """The word sequences that name someone: the whole name, and each part of a hyphenated
    one ("Smith-Jones" is also "Smith" and "Jones"). A single letter is left out: it cannot be
    told from an initial or a letter of the alphabet, and would block every message."""
    phrases = [tuple(_fold(m.group()) for m in _tokens(part)) for part in {name, *name.split("-")}]
    return [p for p in phrases if p and not (len(p) == 1 and len(p[0]) < 2)]


@dataclass(frozen=True, slots=True)
class NamedPupil:
    found: str  # the words as the message spelt them
    pupil: str  # the pupil's name, for the sender, who can see the group


def _named_pupil(pupils: QuerySet[Pupil], text: str) -> NamedPupil | None:
    """The first pupil of the group named in the text by full name, first name, preferred name
    or surname: whole words, case and accents ignored, longest match first.

    Names that are also everyday words ("May", "Will", "Grace", "Brown") are refused like any
    other: the message goes to every family, and a family cannot tell which was meant."""
    phrases: dict[tuple[str, ...], str] = {}
    for first, preferred, last in pupils.values_list("first_name", "preferred_name", "last_name"):
        shown = f"{preferred or first} {last}"
        names = [f"{given} {last}" for given in filter(None, (first, preferred))]
        for name in [*names, *filter(None, (first, preferred, last))]:
            for phrase in _name_phrases(name):
                phrases.setdefault(phrase, shown)
    tokens = _tokens(text)
    words = [_fold(m.group()) for m in tokens]
    for length in sorted({len(p) for p in phrases}, reverse=True):
        for start in range(len(words) - length + 1):
            shown = phrases.get(tuple(words[start : start + length]))
            if shown is not None:
                span = text[tokens[start].start() : tokens[start + length - 1].end()]
                return NamedPupil(found=span, pupil=shown)
    return None


def named_pupil_message(named: NamedPupil) -> str:
    return (
        f'This message contains "{named.found}", the name of {named.pupil}, a pupil in this '
        "group. It goes to every family, so remove the name. If you meant an everyday word (a "
        'month such as "May", or "will"), reword it: a family cannot tell which was meant.'
    )


@transaction.atomic
def family_message_send(
    *,
    actor: Actor,
    audience_key: str,
    subject: str,
    body: str,
) -> FamilyMessage:
    """Record a message to every family in the group and queue one email per family.

    Families are carers with an email address, one message per address: a carer shared by
    siblings (one record linked to each) gets one copy, and so do two carer records with the
    same address. A carer whose contact with the child is restricted gets nothing. A message
    that names a child in the group is refused: it goes to every family, so it must carry no
    child's personal information.
    """
    audience = next((a for a in audiences_for(actor.user) if a.key == audience_key), None)
    if audience is None:
        raise ValidationError({"audience": "Choose a group of families you can write to."})
    pupils = audience_pupils(audience)
    if named := _named_pupil(pupils, f"{subject}\n{body}"):
        raise ValidationError({"body": named_pupil_message(named)})
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
    links = (
        CarerLink.objects.filter(pupil__in=pupils, contact_restricted=False)
        .exclude(carer__email="")
        .annotate(email_key=Lower("carer__email"))
        .order_by("email_key", "priority", "carer_id", "id")
        .values_list("carer_id", "pupil_id", "email_key")
    )
    first_carer_per_address: dict[str, tuple[int, int]] = {}
    reached_pupils: set[int] = set()
    for carer_id, pupil_id, address in links:
        first_carer_per_address.setdefault(address, (carer_id, pupil_id))
        reached_pupils.add(pupil_id)
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
