"""Every write to the register of subject access requests (policy section 5; UK GDPR right of
access). Keyword-only, one transaction each, ``full_clean()`` before saving, an audit row in
the same transaction carrying ids only: never who asked or the pupil's name."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from dpo.models import REQUESTED_BY_LIMIT, RequestStatus, SubjectAccessRequest
from dpo.subject_access.deadline import respond_by
from dpo.subject_access.permissions import can_export_subject_access
from schools.calendar import today
from schools.models import Pupil


@transaction.atomic
def subject_access_request_log(
    *,
    actor: Actor,
    pupil: Pupil,
    requested_by: str,
    received_on: datetime.date | None,
) -> SubjectAccessRequest:
    """Log a request against a pupil and fix its deadline: one calendar month from receipt,
    moved past weekends and bank holidays."""
    if not can_export_subject_access(actor.user, pupil):
        raise ValidationError("Only the school's data protection officer logs these requests.")
    requested_by = " ".join((requested_by or "").split())
    if not requested_by:
        raise ValidationError({"requested_by": "Say who made the request."})
    if len(requested_by) > REQUESTED_BY_LIMIT:
        raise ValidationError({"requested_by": f"Keep this under {REQUESTED_BY_LIMIT} characters."})
    if received_on is None:
        raise ValidationError({"received_on": "Enter the date the request was received."})
    if received_on > today():
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    sar = SubjectAccessRequest(
        school_id=pupil.school_id,
        pupil=pupil,
        requested_by=requested_by,
        received_on=received_on,
        due_on=respond_by(received_on),
        logged_by=actor.user,
    )
    sar.full_clean()
    sar.save()
    access_record(
        action=AccessAction.CREATE,
        actor=actor,
        subject=sar,
        pupil_id=pupil.pk,
        detail="subject access request logged",
    )
    return sar


@transaction.atomic
def subject_access_request_mark_sent(
    *, actor: Actor, sar: SubjectAccessRequest
) -> SubjectAccessRequest:
    """Record that the response went out: who and when. Only an open request can be sent."""
    locked = SubjectAccessRequest.objects.select_for_update().select_related("pupil").get(pk=sar.pk)
    if not can_export_subject_access(actor.user, locked.pupil):
        raise ValidationError("Only the school's data protection officer answers this request.")
    if locked.status != RequestStatus.OPEN:
        raise ValidationError("This request is no longer open.")
    locked.status = RequestStatus.SENT
    locked.answered_by = actor.user
    locked.answered_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "answered_by", "answered_at"])
    access_record(
        action=AccessAction.CHANGE,
        actor=actor,
        subject=locked,
        pupil_id=locked.pupil_id,
        detail="subject access request marked sent",
    )
    return locked
