"""The doors of the loan and family assistance pages: IT staff record them for the pupils they
may see; SLT and the headteacher read the lists (403 when they try to act); everyone else gets
an audited 404. The rules are in itsupport.permissions."""

from core.actor import Actor
from dataprotection.refusals import Access, refuse
from itsupport.models import DeviceLoan, FamilyAssistance
from itsupport.permissions import can_lend, can_list_loans, can_manage_loan, can_view_loan

LOAN_SUBJECT = DeviceLoan._meta.label_lower
ASSISTANCE_SUBJECT = FamilyAssistance._meta.label_lower


def _access_pages(actor: Actor, subject_type: str, to: Access) -> None:
    if not can_list_loans(actor.user):
        refuse(actor, subject_type=subject_type, detail="list: not IT or SLT")
    if to == "act" and not can_lend(actor.user):
        refuse(actor, status=403, subject_type=subject_type, detail="may read, may not record")


def access_loans(actor: Actor, *, to: Access = "read") -> None:
    """The loans list ("read") and recording a loan ("act")."""
    _access_pages(actor, LOAN_SUBJECT, to)


def access_assistance(actor: Actor, *, to: Access = "read") -> None:
    """The family assistance list ("read") and recording help given ("act")."""
    _access_pages(actor, ASSISTANCE_SUBJECT, to)


def access_loan(actor: Actor, pk: int, *, to: Access = "read") -> DeviceLoan:
    """One loan for those who read loans ("read") or for IT staff recording its return ("act")."""
    loan = (
        DeviceLoan.objects.select_related("pupil__school_class__site", "lent_by")
        .filter(pk=pk)
        .first()
    )
    if loan is None or not can_view_loan(actor.user, loan):
        refuse(actor, subject_type=LOAN_SUBJECT, subject_id=pk, detail="not visible")
    if to == "act" and not can_manage_loan(actor.user, loan):
        refuse(
            actor,
            status=403,
            subject=loan,
            pupil_id=loan.pupil_id,
            detail="may read, may not record a return",
        )
    return loan
