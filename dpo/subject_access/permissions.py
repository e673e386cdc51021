"""Who may answer a subject access request, and for which pupils.

Only the Data Protection Officer, for the pupils (on or off roll) of the school(s) where they
hold that role. Everyone else is told the pages do not exist (404).

Why not the headteacher, who already reads every pupil's records and the access log? The
export gathers everything held about a child, safeguarding records included when the DPO
records why that is safe, into a file that leaves the school. The right of access is the
DPO's duty (policy section 5), so one accountable role decides what is disclosed and withheld,
and the audit shows one kind of person producing these files. A headteacher who must answer a
request in the DPO's absence is given the DPO role for that school.

A DPO membership covers the whole school even if it names a site or a class: the right of
access is owed by the school as controller, not by one site.

The rule exists twice, as for every gate: a queryset scope for the chooser and a predicate
for a single pupil. Tests check that they agree.
"""

from django.db.models import QuerySet

from core.actor import Actor
from dataprotection.refusals import refuse
from dpo.models import SubjectAccessRequest
from dpo.subject_access.collecting import pupil_for_subject_access
from schools.models import Pupil, Role
from schools.permissions import school_ids_with_roles

SUBJECT_ACCESS_ROLES = frozenset({Role.DPO})


def subject_access_school_ids(user: object) -> set[int]:
    """The schools whose pupils this person may produce subject access exports for."""
    return school_ids_with_roles(user, SUBJECT_ACCESS_ROLES)


def can_handle_subject_access(user: object) -> bool:
    """Whether the subject access pages exist for this person at all."""
    return bool(subject_access_school_ids(user))


def subject_access_pupils_for(user: object) -> QuerySet[Pupil]:
    """Pupils this person may export, on or off roll: one SQL statement."""
    school_ids = subject_access_school_ids(user)
    if not school_ids:
        return Pupil.objects.none()
    return Pupil.objects.filter(school_id__in=school_ids)


def can_export_subject_access(user: object, pupil: Pupil) -> bool:
    return pupil.school_id in subject_access_school_ids(user)


NOT_THE_DPO = "subject access: not the DPO"


def access_subject_access(actor: Actor) -> None:
    """The search and the register: the DPO only; an audited 404 for everyone else."""
    if not can_handle_subject_access(actor.user):
        refuse(actor, detail=NOT_THE_DPO)


def access_subject_access_pupil(actor: Actor, pk: int) -> Pupil:
    """The pupil, if this person is the DPO of the pupil's school; else an audited 404 that
    looks exactly like a pupil that does not exist."""
    pupil = pupil_for_subject_access(pk)
    if pupil is None or not can_export_subject_access(actor.user, pupil):
        refuse(
            actor,
            detail=NOT_THE_DPO
            if not can_handle_subject_access(actor.user)
            else "subject access: pupil not at this person's school",
            subject_type=Pupil._meta.label_lower,
            subject_id=pk,
            pupil_id=pupil.pk if pupil is not None else None,
        )
    return pupil


def access_subject_access_request(actor: Actor, pk: int) -> SubjectAccessRequest:
    """A logged request, for the DPO of its pupil's school; else an audited 404."""
    from dpo.subject_access.selectors import request_for_page  # they read through this module

    access_subject_access(actor)
    sar = request_for_page(pk)
    if sar is None or not can_export_subject_access(actor.user, sar.pupil):
        refuse(
            actor,
            detail="subject access request: not at this person's school",
            subject_type=SubjectAccessRequest._meta.label_lower,
            subject_id=pk,
            pupil_id=sar.pupil_id if sar is not None else None,
        )
    return sar
