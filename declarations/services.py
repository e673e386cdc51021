"""Device security declarations (policy sections 5.1 and 5.3): staff declare, at first use and
then yearly, how the device they use keeps pupils' data safe. Anything they cannot confirm
becomes a task for IT staff (section 3.5).

Who must declare is a rule about roles, kept in the role book:
``schools.permissions.must_declare_device``.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from declarations.models import (
    DeclarationAnswer,
    DeclarationDue,
    DeclarationIssue,
    DeclarationItem,
    DeviceDeclaration,
    IssueStatus,
)
from declarations.selectors import DeclarationState, declaration_state_from, latest_declaration
from schools.permissions import must_declare_device

# Where the gate (declarations.middleware) keeps its last answer in the session; cleared
# when the person declares, so the next page asks again.
DECLARATION_SESSION_KEY = "rl_device_declaration"

REASON_REQUIRED = "Say why you cannot confirm this, so IT staff can help."
ANSWER_REQUIRED = "Answer yes, or that you cannot confirm this."
DESCRIPTION_REQUIRED = 'Describe the device, for example "school laptop" or "own phone".'


def must_declare(user: object) -> bool:
    """Whether this person must make a declaration: a signed-in member of staff who may see
    pupil data (the role book's rule)."""
    return getattr(user, "is_authenticated", False) and must_declare_device(user)


@dataclass(frozen=True, slots=True)
class Answer:
    confirmed: bool | None
    reason: str = ""


def reason_field(item: str) -> str:
    """The form field holding the reason for ``item`` (errors are keyed by it)."""
    return f"{item}_reason"


@transaction.atomic
def declaration_submit(
    *,
    actor: Actor,
    device_description: str,
    answers: dict[str, Answer],
    at: datetime.datetime | None = None,
) -> DeviceDeclaration:
    """Record a declaration; every item not confirmed raises an open issue for IT.

    Refuses (ValidationError keyed by form field, nothing written) an unanswered item, a
    "cannot confirm" without a reason, or no device description.
    """
    at = at or timezone.now()
    device_description = device_description.strip()
    errors: dict[str, str] = {}
    if not device_description:
        errors["device_description"] = DESCRIPTION_REQUIRED
    cleaned: dict[str, Answer] = {}
    for item in DeclarationItem.values:
        answer = answers.get(item)
        if answer is None or answer.confirmed is None:
            errors[item] = ANSWER_REQUIRED
            continue
        reason = "" if answer.confirmed else answer.reason.strip()
        if not answer.confirmed and not reason:
            errors[reason_field(item)] = REASON_REQUIRED
        cleaned[item] = Answer(confirmed=answer.confirmed, reason=reason)
    if errors:
        raise ValidationError(errors)

    user = actor.user
    declaration = DeviceDeclaration(
        user=user, declared_at=at, device_description=device_description
    )
    declaration.full_clean()
    declaration.save()
    rows = [
        DeclarationAnswer(
            declaration=declaration, item=item, confirmed=answer.confirmed, reason=answer.reason
        )
        for item, answer in cleaned.items()
    ]
    for row in rows:
        row.full_clean(exclude=["declaration"])
    DeclarationAnswer.objects.bulk_create(rows)
    issues = [
        DeclarationIssue(
            declaration=declaration, user=user, item=row.item, reason=row.reason, raised_at=at
        )
        for row in rows
        if not row.confirmed
    ]
    DeclarationIssue.objects.bulk_create(issues)
    return declaration


@transaction.atomic
def declaration_issue_resolve(
    *, actor: Actor, issue: DeclarationIssue, note: str
) -> DeclarationIssue:
    """IT staff close a task, saying what was done."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say what was done, for the record."})
    issue = DeclarationIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != IssueStatus.OPEN:
        raise ValidationError("This task was already resolved.")
    issue.status = IssueStatus.RESOLVED
    issue.resolved_by = actor.user
    issue.resolved_at = timezone.now()
    issue.resolution_note = note
    issue.full_clean()
    issue.save()
    return issue


def declaration_gate_state(
    *, user: object, at: datetime.datetime | None = None
) -> DeclarationState:
    """Where this person stands, for the gate; notes when they were first seen without a
    current declaration (the grace period counts from then). One query when they have a
    current declaration; three otherwise."""
    at = at or timezone.now()
    latest = latest_declaration(user_id=user.pk)
    latest_at = latest.declared_at if latest is not None else None
    state = declaration_state_from(latest_at=latest_at, first_seen_at=None, at=at, latest=latest)
    if state.current:
        return state
    # One INSERT that does nothing when the row exists, then one read: the same two queries
    # whether or not this is the first time (pages keep a fixed query count).
    DeclarationDue.objects.bulk_create(
        [DeclarationDue(user=user, first_seen_at=at)], ignore_conflicts=True
    )
    due = DeclarationDue.objects.get(user=user)
    return declaration_state_from(
        latest_at=latest_at, first_seen_at=due.first_seen_at, at=at, latest=latest
    )


def declaration_sign_in_reminder(
    sender: object, request: object, user: object, **kwargs: object
) -> None:
    """At sign-in (the user_logged_in signal): note when a person who must declare and has no
    current declaration was first seen without one, and tell them to declare now once the
    grace period is over (before that, the banner on every page reminds them, once).

    Only for a sign-in through the pages, which can show a message: a sign-in without the
    messages middleware (a test's force_login, a script) is left alone, at no cost.
    """
    if request is None or not hasattr(request, "_messages"):
        return
    if not settings.DEVICE_DECLARATION_REQUIRED or not must_declare(user):
        return
    state = declaration_gate_state(user=user)
    if state.current or not state.overdue:
        # While the grace period runs, every page carries the reminder banner: a message as
        # well would say it twice on the first page.
        return
    messages.warning(request, "Please make your device security declaration now.")
