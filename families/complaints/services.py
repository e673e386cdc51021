"""Complaints and worries from families (policy section 3.6): receiving one, and the school's
responses.

A complaint is routed when it is received: a worry about a child's safety to the safeguarding
team covering the child's site and the headteacher, anything else to senior leaders and the
headteacher (families.complaints.permissions says who, once). Each of them gets a notice
(ComplaintNotice, a link and nothing of the text) and the family an acknowledgement with the
response date, all written in the complaint's transaction and sent by the outbox after it
commits.

The response date is the school's "complaint response" number of school days after the day
it was received (ContactSettings.complaint_response_school_days, kept on the complaint as it
stood), on the school's calendar; where the calendar does not reach that far yet, the same
number of working days, so a deadline is never missing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contacts.services import contact_settings_for
from core.actor import Actor
from core.tasks import outbox_nudge
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from families.complaints.permissions import COMPLAINTS_LOG_ROLES, membership_reads_complaint
from families.models import (
    COMPLAINT_TEXT_LIMIT,
    RESPONSE_TEXT_LIMIT,
    Complaint,
    ComplaintAcknowledgement,
    ComplaintNotice,
    ComplaintResponse,
)
from schools.calendar import add_school_days, add_working_days
from schools.models import Carer, Membership, Pupil, School

SAY_WHAT = "Tell us what your complaint or worry is about."
TOO_LONG = f"Keep it to {COMPLAINT_TEXT_LIMIT} characters or fewer."


def response_due_on(school: School, received: datetime.date, days: int) -> datetime.date:
    """``days`` school days after ``received``; working days where the calendar stops short."""
    return add_school_days(school, received, days) or add_working_days(received, days)


def _routed_to(complaint: Complaint) -> list[int]:
    """The staff who read it: one query for the school's leadership and safeguarding roles."""
    memberships = Membership.objects.filter(
        school_id=complaint.school_id,
        role__in=COMPLAINTS_LOG_ROLES,
        user__is_active=True,
    ).select_related("school_class")
    return sorted({m.user_id for m in memberships if membership_reads_complaint(m, complaint)})


@transaction.atomic
def complaint_make(
    *,
    actor: Actor,
    carer: Carer,
    school: School,
    text: str,
    about_safety: bool,
    pupil: Pupil | None = None,
) -> Complaint:
    """A parent or carer makes a complaint or raises a worry. The carers' portal's gate has
    checked the carer and, when there is one, that the child is theirs; the actor is the
    carer's own sign-in."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": SAY_WHAT})
    if len(text) > COMPLAINT_TEXT_LIMIT:
        raise ValidationError({"text": TOO_LONG})
    if pupil is not None and pupil.school_id != school.pk:
        raise ValidationError({"pupil": "Choose one of your children."})
    now = timezone.now()
    days = contact_settings_for(school).complaint_response_school_days
    received = timezone.localdate(now)
    complaint = Complaint(
        school=school,
        carer=carer,
        raised_by=actor.user,
        pupil=pupil,
        school_class=pupil.school_class if pupil is not None else None,
        site=pupil.school_class.site if pupil is not None else None,
        about_safety=about_safety,
        text=text,
        received_at=now,
        response_days=days,
        response_due=response_due_on(school, received, days),
    )
    complaint.full_clean()
    complaint.save()
    ComplaintNotice.objects.bulk_create(
        [
            ComplaintNotice(recipient_id=user_id, complaint=complaint)
            for user_id in _routed_to(complaint)
        ]
    )
    ComplaintAcknowledgement.objects.create(complaint=complaint)
    access_record(
        action=AccessAction.CREATE,
        actor=actor,
        subject=complaint,
        pupil_id=complaint.pupil_id,
        detail="carer complaint",
    )
    outbox_nudge(ComplaintNotice)
    outbox_nudge(ComplaintAcknowledgement)
    return complaint


@transaction.atomic
def complaint_respond(
    *,
    actor: Actor,
    complaint: Complaint,
    text: str,
    corrects: ComplaintResponse | None = None,
) -> ComplaintResponse:
    """Record the school's response (what was said to the family, and how). Appended: a
    correction is a new response naming the one it corrects."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Say what the school's response was."})
    if len(text) > RESPONSE_TEXT_LIMIT:
        raise ValidationError({"text": f"Keep it to {RESPONSE_TEXT_LIMIT} characters or fewer."})
    if corrects is not None and corrects.complaint_id != complaint.pk:
        raise ValidationError({"corrects": "Choose a response to this complaint."})
    response = ComplaintResponse(
        complaint=complaint,
        text=text,
        corrects=corrects,
        responded_by=actor.user,
        responded_at=timezone.now(),
    )
    response.full_clean()
    response.save()
    access_record(
        action=AccessAction.CREATE,
        actor=actor,
        subject=response,
        pupil_id=complaint.pupil_id,
        detail=f"complaint {complaint.pk}: response" + (" (correction)" if corrects else ""),
    )
    return response
