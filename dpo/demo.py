"""Demo breaches for the demo school: one closed, decided not reportable, and one still open
with its 72-hour clock running. Flagged by the IT technician through the same services as the
pages. A school that already has a breach is left alone: loading twice changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from dpo.models import Breach, BreachDecision
from dpo.services import (
    breach_assess,
    breach_close,
    breach_decide,
    breach_flag,
    breach_record_subjects_told,
)
from schools.models import Membership, Role, School


def _holder(school: School, role: str) -> object | None:
    membership = Membership.objects.filter(school=school, role=role).select_related("user").first()
    return membership.user if membership else None


@transaction.atomic
def breaches_demo_load(school: School) -> None:
    it, dpo = _holder(school, Role.IT_STAFF), _holder(school, Role.DPO)
    if it is None or dpo is None or Breach.objects.filter(school=school).exists():
        return
    now = timezone.now()
    closed = breach_flag(
        actor=Actor.for_user(it),
        school=school,
        what_happened="A newsletter about remote learning was emailed to one class's parents "
        "with every address in the To field instead of BCC.",
        discovered_at=now - datetime.timedelta(days=12, hours=3),
        data_affected="Parents' and carers' email addresses",
        people_affected=14,
        containment="Recalled the email and asked recipients to delete it.",
    )
    breach_assess(
        actor=Actor.for_user(dpo),
        breach=closed,
        assessment="Email addresses only, shared among parents of one class who mostly know "
        "each other. No sensitive data. Low risk to rights and freedoms.",
    )
    breach_decide(
        actor=Actor.for_user(dpo),
        breach=closed,
        decision=BreachDecision.NOT_REPORTABLE,
        reason="Unlikely to result in a risk to individuals: addresses only, small group, "
        "recall and deletion confirmed by most recipients.",
    )
    breach_record_subjects_told(
        actor=Actor.for_user(dpo),
        breach=closed,
        told=True,
        notes="Apology sent to the class's families by BCC.",
    )
    breach_close(
        actor=Actor.for_user(dpo),
        breach=closed,
        lessons="Group emails to families go through the home learning platform's messaging.",
    )
    breach_flag(
        actor=Actor.for_user(it),
        school=school,
        what_happened="A school laptop used for remote lessons was left on a train. It is "
        "encrypted but was signed in to the home learning platform.",
        discovered_at=now - datetime.timedelta(hours=20),
        data_affected="Possibly pupils' names and work on the home learning platform",
        people_affected=None,
        containment="Platform sessions revoked and the password changed; reported to the "
        "railway's lost property.",
    )
