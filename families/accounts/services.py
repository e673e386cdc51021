"""Carers' portal accounts: inviting a carer, accepting an invitation, ending an account, and
"no contact / restricted" decisions on a carer's link to a child. Every write is atomic, audited
in the same transaction, and sends its email through the outbox after commit."""

import dataclasses
import datetime
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts.models import User, UserKind
from core.actor import Actor
from core.links import site_url
from core.tasks import outbox_nudge
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from families.models import (
    INVITATION_VALID_DAYS,
    CarerAccountEnding,
    CarerInvitation,
    CarerInvitationEmail,
    CarerRestrictionChange,
)
from schools.models import Carer, CarerLink, Pupil

NO_PARENTAL_RESPONSIBILITY = (
    "Only a carer with parental responsibility for this child can be invited."
)
RESTRICTED = "This carer's contact with the child is restricted, so they cannot be invited."
NO_EMAIL = "This carer has no email address on record. Add it through the MIS import first."
OFF_ROLL = "This child is no longer on roll, so their carers cannot be invited."
ALREADY_ACTIVE = "This carer already has an account on the family pages."
EMAIL_TAKEN = (
    "Another account already uses this carer's email address, so it cannot be used for the "
    "family pages. Check the address on record."
)
INVITATION_USED = "This invitation has already been used. Sign in with your email address instead."
INVITATION_EXPIRED = "This invitation has expired. Ask the school to send you a new one."
INVITATION_REVOKED = "This invitation is no longer valid. Ask the school to send you a new one."


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_refusal(*, carer: Carer, pupil: Pupil, link: CarerLink | None) -> str | None:
    """Why this carer cannot be invited from this child's page, or None."""
    if not pupil.on_roll:
        return OFF_ROLL
    if link is None or not link.has_parental_responsibility:
        return NO_PARENTAL_RESPONSIBILITY
    if link.contact_restricted:
        return RESTRICTED
    if not carer.email:
        return NO_EMAIL
    if carer.user_id is not None and carer.user.is_active:
        return ALREADY_ACTIVE
    return None


def _revoke_open_invitations(*, carer: Carer, by: object, now: datetime.datetime) -> int:
    return CarerInvitation.objects.filter(
        carer=carer, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(revoked_at=now, revoked_by=by)


@transaction.atomic
def carer_invitation_send(*, actor: Actor, pupil: Pupil, carer: Carer) -> CarerInvitation:
    """Invite ``carer`` (a carer of ``pupil``) to open their account: a one-time link, valid
    INVITATION_VALID_DAYS, emailed to the address on record. An earlier open invitation stops
    working."""
    carer = (
        Carer.objects.select_for_update(of=("self",))
        .select_related("user", "school")
        .get(pk=carer.pk)
    )
    link = CarerLink.objects.filter(carer=carer, pupil=pupil).first()
    if (refusal := invitation_refusal(carer=carer, pupil=pupil, link=link)) is not None:
        raise ValidationError(refusal)
    if (
        User.objects.annotate(lower=Lower("email"))
        .filter(lower=carer.email.lower())
        .exclude(pk=carer.user_id)
        .exists()
    ):
        raise ValidationError(EMAIL_TAKEN)
    now = timezone.now()
    _revoke_open_invitations(carer=carer, by=actor.user, now=now)
    token = secrets.token_urlsafe(32)
    invitation = CarerInvitation(
        carer=carer,
        pupil=pupil,
        token_hash=token_digest(token),
        invited_by=actor.user,
        invited_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    CarerInvitationEmail.objects.create(
        invitation=invitation,
        link=site_url(reverse("families:invitation_accept", args=[token])),
    )
    access_record(
        action=AccessAction.CREATE,
        actor=actor,
        subject=invitation,
        pupil_id=pupil.pk,
        detail="carer invited to the family pages",
    )
    outbox_nudge(CarerInvitationEmail)
    return invitation


def invitation_for_token(token: str) -> CarerInvitation | None:
    return (
        CarerInvitation.objects.select_related("carer", "carer__school", "carer__user")
        .filter(token_hash=token_digest(token))
        .first()
    )


def invitation_closed_reason(
    invitation: CarerInvitation | None, *, now: datetime.datetime
) -> str | None:
    """Why an invitation's link no longer works, or None while it does."""
    if invitation is None or invitation.revoked_at is not None:
        return INVITATION_REVOKED
    if invitation.accepted_at is not None:
        return INVITATION_USED
    if invitation.expires_at <= now:
        return INVITATION_EXPIRED
    return None


@transaction.atomic
def carer_invitation_accept(*, actor: Actor, token: str, password: str | None) -> User:
    """Open (or reopen) the carer's account from an invitation: with ``password`` (Django's
    validators), or with none, to sign in by a code sent to their email. Nothing is written
    when the invitation is used, expired or revoked."""
    invitation = (
        CarerInvitation.objects.select_for_update(of=("self",))
        .select_related("carer", "carer__user")
        .filter(token_hash=token_digest(token))
        .first()
    )
    now = timezone.now()
    if (reason := invitation_closed_reason(invitation, now=now)) is not None:
        raise ValidationError(reason)
    carer = invitation.carer
    user = carer.user
    if user is None:
        if User.objects.annotate(lower=Lower("email")).filter(lower=carer.email.lower()).exists():
            raise ValidationError(EMAIL_TAKEN)
        user = User(email=carer.email.lower(), full_name=carer.full_name, kind=UserKind.CARER)
    user.is_active = True
    user.kind = UserKind.CARER
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if carer.user_id != user.pk:
        carer.user = user
        carer.save(update_fields=["user"])
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    access_record(
        action=AccessAction.CHANGE,
        actor=dataclasses.replace(actor, user=user),
        subject=invitation,
        pupil_id=invitation.pupil_id,
        detail="carer accepted the invitation and opened their account",
    )
    return user


@transaction.atomic
def carer_account_end(
    *, actor: Actor, carer: Carer, pupil: Pupil, reason: str
) -> CarerAccountEnding:
    """End the carer's account at once: it can no longer sign in and its sessions end at their
    next request; any open invitation stops working."""
    carer = Carer.objects.select_for_update(of=("self",)).select_related("user").get(pk=carer.pk)
    now = timezone.now()
    ending = CarerAccountEnding(
        carer=carer, ended_by=actor.user, ended_at=now, reason=reason.strip()
    )
    ending.full_clean()
    ending.save()
    if carer.user_id is not None:
        User.objects.filter(pk=carer.user_id).update(is_active=False)
    _revoke_open_invitations(carer=carer, by=actor.user, now=now)
    access_record(
        action=AccessAction.CHANGE,
        actor=actor,
        subject=ending,
        pupil_id=pupil.pk,
        detail="carer's family pages account ended",
    )
    return ending


@transaction.atomic
def carer_restriction_change(
    *, actor: Actor, link: CarerLink, restricted: bool, reason: str
) -> CarerRestrictionChange:
    """Mark a carer's link to a child "no contact / restricted" (a court order or the DSL's
    decision), or lift it, with a reason; the decision is kept as history. A restricted carer
    sees nothing of the child from their next page."""
    link = CarerLink.objects.select_for_update().get(pk=link.pk)
    if link.contact_restricted == restricted:
        raise ValidationError(
            {
                "reason": "This carer is already restricted."
                if restricted
                else "This carer is not restricted."
            }
        )
    now = timezone.now()
    change = CarerRestrictionChange(
        link=link,
        restricted=restricted,
        reason=reason.strip(),
        changed_by=actor.user,
        changed_at=now,
    )
    change.full_clean()
    change.save()
    link.contact_restricted = restricted
    link.restriction_reason = change.reason if restricted else ""
    link.restricted_by = actor.user if restricted else None
    link.restricted_at = now if restricted else None
    link.full_clean()
    link.save(
        update_fields=["contact_restricted", "restriction_reason", "restricted_by", "restricted_at"]
    )
    access_record(
        action=AccessAction.CHANGE,
        actor=actor,
        subject=change,
        pupil_id=link.pupil_id,
        detail="carer restricted" if restricted else "carer restriction lifted",
    )
    return change
