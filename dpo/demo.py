"""Demo breaches and subject access requests for the demo school.

Breaches: one closed, decided not reportable, and one still open with its 72-hour clock
running, flagged by the IT technician. Subject access requests: one answered last month and
one open, its month running. All through the same services as the pages. A school that already
has a breach (or a request) is left alone: loading twice changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.demo import at, backdate, demo_case_pupils
from core.actor import Actor
from dpo.models import Breach, BreachDecision, SubjectAccessRequest
from dpo.services import (
    breach_assess,
    breach_close,
    breach_decide,
    breach_flag,
    breach_record_subjects_told,
)
from dpo.subject_access.services import (
    subject_access_request_log,
    subject_access_request_mark_sent,
)
from schools.calendar import today
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


# (demo case whose pupil it is about, who asked, days since it came in, days since answered)
SUBJECT_ACCESS_REQUESTS = (
    ("closed", "The pupil's mother, by email", 40, 12),
    ("silent", "The pupil's father, by letter (lives apart from the pupil)", 9, None),
)


@transaction.atomic
def subject_access_demo_load(school: School) -> None:
    dpo = _holder(school, Role.DPO)
    if dpo is None or SubjectAccessRequest.objects.filter(school=school).exists():
        return
    pupils = demo_case_pupils(school)
    for key, requested_by, received, answered in SUBJECT_ACCESS_REQUESTS:
        received_on = today() - datetime.timedelta(days=received)
        sar = subject_access_request_log(
            actor=Actor.for_user(dpo),
            pupil=pupils[key],
            requested_by=requested_by,
            received_on=received_on,
        )
        backdate(SubjectAccessRequest.objects.filter(pk=sar.pk), logged_at=at(received_on, 12))
        if answered is not None:
            subject_access_request_mark_sent(actor=Actor.for_user(dpo), sar=sar)
            sent_on = today() - datetime.timedelta(days=answered)
            backdate(SubjectAccessRequest.objects.filter(pk=sar.pk), answered_at=at(sent_on, 15))
