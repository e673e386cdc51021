"""Who may print a pupil's safeguarding chronology and release it for sharing.

Whoever reads the chronology page (the DSL team of the pupil's site and the headteacher, see
``access_chronology``) may ask for a print, follow it and download it. Releasing a version for
sharing, and choosing what it hides, is the DSL team's decision (KCSIE: the DSL decides what
is shared): the headteacher sees the list but gets 403 on changing or releasing it. Everyone
else is told the print does not exist (404). A print that holds a concern kept for the DSL
team only (made for a member of the DSL team) is the DSL team's alone: 404 for the headteacher.
"""

from django.db.models import QuerySet

from core.actor import Actor
from dataprotection.refusals import Access, refuse
from safeguarding.models import ChronologyPrint
from schools.models import Pupil
from schools.permissions import DSL_ROLES, SAFEGUARDING_ROLES, pupil_access

PRINT_SUBJECT = ChronologyPrint._meta.label_lower


def access_chronology_print(actor: Actor, pk: int, *, to: Access = "read") -> ChronologyPrint:
    """The print without its PDF bytes. ``to="act"``: add words to it or release it."""
    printed = (
        ChronologyPrint.objects.select_related(
            "pupil__school_class__site", "requested_by", "confirmed_by"
        )
        .defer("content")
        .filter(pk=pk)
        .first()
    )
    roles = pupil_access(actor.user, printed.pupil).roles if printed else frozenset()
    if printed is None or not roles & print_reader_roles(printed):
        refuse(
            actor,
            subject_type=PRINT_SUBJECT,
            subject_id=pk,
            pupil_id=printed.pupil_id if printed else None,
            detail="chronology print not visible to this person",
        )
    if to == "act" and not roles & DSL_ROLES:
        refuse(
            actor,
            status=403,
            subject=printed,
            pupil_id=printed.pupil_id,
            detail="only the DSL team releases a chronology for sharing",
        )
    return printed


def print_reader_roles(printed: ChronologyPrint) -> frozenset[str]:
    return DSL_ROLES if printed.includes_dsl_team_only else SAFEGUARDING_ROLES


def prints_visible_to(user: object, pupil: Pupil) -> QuerySet[ChronologyPrint]:
    """The pupil's prints this person may see, for whoever passed ``access_chronology``."""
    prints = ChronologyPrint.objects.filter(pupil=pupil)
    if pupil_access(user, pupil).roles & DSL_ROLES:
        return prints
    return prints.filter(includes_dsl_team_only=False)


def can_release_print(user: object, printed: ChronologyPrint) -> bool:
    """The predicate matching ``access_chronology_print(..., to="act")``."""
    return bool(pupil_access(user, printed.pupil).roles & DSL_ROLES)
