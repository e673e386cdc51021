"""The doors of the needs pages: anyone who may see a pupil records a need; IT, class staff,
SLT and the headteacher list the open needs and mark them met; others who see the pupil get
403 on marking; everyone else an audited 404. The rules are in itsupport.permissions."""

from core.actor import Actor
from dataprotection.refusals import Access, refuse
from itsupport.models import DeviceNeed
from itsupport.permissions import can_list_needs, can_meet_need, can_record_needs, can_view_need

NEED_SUBJECT = DeviceNeed._meta.label_lower


def access_need_list(actor: Actor) -> None:
    if not can_list_needs(actor.user):
        refuse(actor, subject_type=NEED_SUBJECT, detail="list: not IT, class staff or SLT")


def access_need_recording(actor: Actor) -> None:
    if not can_record_needs(actor.user):
        refuse(actor, subject_type=NEED_SUBJECT, detail="record: sees no pupils")


def access_need(actor: Actor, pk: int, *, to: Access = "read") -> DeviceNeed:
    """One need for those who see its pupil ("read") or who may mark it met ("act")."""
    need = DeviceNeed.objects.select_related("pupil__school_class__site").filter(pk=pk).first()
    if need is None or not can_view_need(actor.user, need):
        refuse(actor, subject_type=NEED_SUBJECT, subject_id=pk, detail="not visible")
    if to == "act" and not can_meet_need(actor.user, need):
        refuse(
            actor,
            status=403,
            subject=need,
            pupil_id=need.pupil_id,
            detail="may see, may not mark met",
        )
    return need
