"""Every write of the IT support app. Views check the gates in itsupport.permissions first;
these functions check the rules of the records themselves and write the access audit for any
record about a pupil in the same transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from itsupport.models import (
    DeviceLoan,
    DeviceNeed,
    FamilyAssistance,
    NeedKind,
    RequestKind,
    SupportNote,
    SupportRequest,
)
from schools.calendar import today
from schools.models import Carer, Pupil, School
from schools.permissions import memberships_of

ALREADY_OUT = "This device is already out on loan: record its return before lending it again."


def _audit(actor: Actor, action: str, subject: Model, pupil_id) -> None:
    if pupil_id is None:
        return
    access_record(action=action, actor=actor, subject=subject, pupil_id=pupil_id)


def _not_in_future(value: datetime.date, field: str) -> None:
    if value > today():
        raise ValidationError({field: "This date is in the future."})


# --- Support requests ------------------------------------------------------------------------


def _site_for(by: object, school: School, pupil: Pupil | None):
    """Where the request belongs: the pupil's site, else the one site the person works at,
    else none (a request about the whole school is in every site's queue)."""
    if pupil is not None:
        return pupil.school_class.site
    sites = set()
    for membership in memberships_of(by):
        if membership.school_id != school.pk:
            continue
        if membership.site_id is not None:
            sites.add(membership.site)
        elif membership.school_class_id is not None:
            sites.add(membership.school_class.site)
        else:
            return None
    return sites.pop() if len(sites) == 1 else None


@transaction.atomic
def request_raise(
    *,
    actor: Actor,
    school: School,
    kind: str,
    system: str,
    description: str,
    urgency: str,
    pupil: Pupil | None = None,
    help_given: str = "",
    carer: Carer | None = None,
) -> SupportRequest:
    """Raise a technical issue, or record help given to a parent or carer. Help already given
    is recorded as resolved at once, so it counts as demand without waiting in the queue.

    ``carer``: a parent or carer asked for the help themselves (the carers' portal, whose gate
    has checked they may act for ``pupil``); the actor is their own sign-in."""
    if pupil is not None and pupil.school_id != school.pk:
        raise ValidationError({"pupil": "This pupil is at another school."})
    if carer is not None and (pupil is None or kind != RequestKind.FAMILY_HELP):
        raise ValidationError("A parent or carer asks for help for their own child only.")
    help_given = help_given.strip()
    if help_given and kind != RequestKind.FAMILY_HELP:
        raise ValidationError(
            {"help_given": "Only help for a parent or carer is recorded as already given."}
        )
    support_request = SupportRequest(
        school=school,
        site=_site_for(actor.user, school, pupil),
        kind=kind,
        system=system,
        description=description.strip(),
        urgency=urgency,
        pupil=pupil,
        raised_by=actor.user,
        raised_by_carer=carer,
    )
    if help_given and carer is None:
        support_request.resolved_at = timezone.now()
        support_request.resolved_by = actor.user
        support_request.resolution = help_given
    support_request.full_clean()
    support_request.save()
    _audit(actor, AccessAction.CREATE, support_request, support_request.pupil_id)
    return support_request


def _require_open(support_request: SupportRequest) -> None:
    if not support_request.is_open:
        raise ValidationError("This request is resolved. Raise a new one if the issue is back.")


@transaction.atomic
def request_note_add(*, actor: Actor, support_request: SupportRequest, text: str) -> SupportNote:
    """Append a note. Notes are never edited; a correction is a further note."""
    note = SupportNote(request=support_request, text=text.strip(), written_by=actor.user)
    note.full_clean()
    note.save()
    _audit(actor, AccessAction.CHANGE, support_request, support_request.pupil_id)
    return note


@transaction.atomic
def request_assign(*, actor: Actor, support_request: SupportRequest) -> SupportRequest:
    """IT staff take a request on. Taking it from a colleague is allowed and noted."""
    support_request = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    _require_open(support_request)
    if support_request.assigned_to_id == actor.user.pk:
        return support_request
    previous = support_request.assigned_to
    support_request.assigned_to = actor.user
    support_request.assigned_at = timezone.now()
    support_request.save(update_fields=["assigned_to", "assigned_at"])
    if previous is not None:
        SupportNote.objects.create(
            request=support_request,
            text=f"Taken over from {previous.get_full_name()}.",
            written_by=actor.user,
        )
    _audit(actor, AccessAction.CHANGE, support_request, support_request.pupil_id)
    return support_request


@transaction.atomic
def request_resolve(
    *,
    actor: Actor,
    support_request: SupportRequest,
    resolution: str,
) -> SupportRequest:
    support_request = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    _require_open(support_request)
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError({"resolution": "Say what was done."})
    support_request.resolved_at = timezone.now()
    support_request.resolved_by = actor.user
    support_request.resolution = resolution
    if support_request.assigned_to_id is None:
        support_request.assigned_to = actor.user
        support_request.assigned_at = support_request.resolved_at
    support_request.full_clean()
    support_request.save()
    _audit(actor, AccessAction.CHANGE, support_request, support_request.pupil_id)
    return support_request


# --- Loans -----------------------------------------------------------------------------------


def normalise_asset_tag(raw: str) -> str:
    """Tags are compared as written on the label, ignoring case and surrounding spaces."""
    return " ".join(raw.split()).upper()


@transaction.atomic
def loan_record(
    *,
    actor: Actor,
    pupil: Pupil,
    kind: str,
    asset_tag: str,
    lent_on: datetime.date,
    expected_back: datetime.date,
    notes: str = "",
) -> DeviceLoan:
    asset_tag = normalise_asset_tag(asset_tag)
    if expected_back < lent_on:
        raise ValidationError(
            {"expected_back": "The expected return date is before the loan starts."}
        )
    _not_in_future(lent_on, "lent_on")
    # The partial unique constraint holds the line against a race; this puts the message at
    # the field that caused it.
    if DeviceLoan.objects.filter(
        school_id=pupil.school_id, asset_tag=asset_tag, returned_on__isnull=True
    ).exists():
        raise ValidationError({"asset_tag": ALREADY_OUT})
    loan = DeviceLoan(
        school_id=pupil.school_id,
        pupil=pupil,
        kind=kind,
        asset_tag=asset_tag,
        lent_on=lent_on,
        expected_back=expected_back,
        notes=notes.strip(),
        lent_by=actor.user,
    )
    loan.full_clean()
    loan.save()
    _audit(actor, AccessAction.CREATE, loan, pupil.pk)
    return loan


@transaction.atomic
def loan_return(
    *,
    actor: Actor,
    loan: DeviceLoan,
    returned_on: datetime.date,
    condition: str,
    notes: str = "",
) -> DeviceLoan:
    """Record a device back in school, who took it back and when."""
    loan = DeviceLoan.objects.select_for_update().get(pk=loan.pk)
    if not loan.is_out:
        raise ValidationError(
            f"This loan was already returned on {loan.returned_on:%d/%m/%Y}; nothing changed."
        )
    if returned_on < loan.lent_on:
        raise ValidationError({"returned_on": "The return date is before the loan started."})
    _not_in_future(returned_on, "returned_on")
    loan.returned_on = returned_on
    loan.return_condition = condition
    loan.return_notes = notes.strip()
    loan.returned_to = actor.user
    loan.return_recorded_at = timezone.now()
    loan.full_clean()
    loan.save()
    _audit(actor, AccessAction.CHANGE, loan, loan.pupil_id)
    return loan


def loans_note_overdue(day: datetime.date) -> int:
    """The overdue-returns check: note every loan still out after its return date, once.

    One UPDATE whatever the number of loans; running it again the same day, or the next,
    changes nothing for a loan already noted. Returns how many loans became overdue.
    """
    return DeviceLoan.objects.filter(
        returned_on__isnull=True, expected_back__lt=day, overdue_noted_on__isnull=True
    ).update(overdue_noted_on=day)


# --- Family assistance -----------------------------------------------------------------------


@transaction.atomic
def assistance_record(
    *,
    actor: Actor,
    pupil: Pupil,
    kind: str,
    given_on: datetime.date,
    notes: str,
) -> FamilyAssistance:
    _not_in_future(given_on, "given_on")
    assistance = FamilyAssistance(
        pupil=pupil, kind=kind, given_on=given_on, notes=notes.strip(), given_by=actor.user
    )
    assistance.full_clean()
    assistance.save()
    _audit(actor, AccessAction.CREATE, assistance, pupil.pk)
    return assistance


# --- Needs -----------------------------------------------------------------------------------


@transaction.atomic
def need_record(
    *,
    actor: Actor,
    pupil: Pupil,
    need: str,
    notes: str = "",
) -> DeviceNeed:
    if DeviceNeed.objects.filter(pupil=pupil, need=need, met_on__isnull=True).exists():
        raise ValidationError(
            {"need": "This need is already recorded for the pupil and not yet met."}
        )
    record = DeviceNeed(pupil=pupil, need=need, notes=notes.strip(), raised_by=actor.user)
    record.full_clean()
    record.save()
    _audit(actor, AccessAction.CREATE, record, pupil.pk)
    return record


@transaction.atomic
def need_meet(
    *,
    actor: Actor,
    need: DeviceNeed,
    met_on: datetime.date,
    loan: DeviceLoan | None = None,
    how: str = "",
) -> DeviceNeed:
    """Record how a need was met: by a loan to the same pupil, or in words (paper copies
    delivered, the family's own broadband connected)."""
    need = DeviceNeed.objects.select_for_update().get(pk=need.pk)
    if not need.is_open:
        raise ValidationError(
            f"This need was already met on {need.met_on:%d/%m/%Y}; nothing changed."
        )
    how = how.strip()
    if loan is not None and loan.pupil_id != need.pupil_id:
        raise ValidationError({"loan": "That loan is to another pupil."})
    if loan is None and not how:
        raise ValidationError({"how": "Choose the loan that met the need, or say how it was met."})
    if loan is not None and need.need == NeedKind.PAPER:
        raise ValidationError({"loan": "Paper copies are not met by a device loan."})
    _not_in_future(met_on, "met_on")
    need.met_on = met_on
    need.met_by = actor.user
    need.met_loan = loan
    need.met_how = how
    need.full_clean()
    need.save()
    _audit(actor, AccessAction.CHANGE, need, need.pupil_id)
    return need
