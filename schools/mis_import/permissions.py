"""The MIS import pages' gates: administrators only; everyone else is told nothing is here.

The rule itself (``can_import_mis``) is the role book's; these are the doors the views use.
"""

from core.actor import Actor
from dataprotection.refusals import refuse, refuse_unless
from schools.mis_import.runs import mis_import_runs
from schools.models import MisImport
from schools.permissions import can_import_mis

NOT_AN_ADMINISTRATOR = "MIS import is for administrators"


def access_mis_import(actor: Actor) -> None:
    """The upload page: administrators, or a 404 that is audited."""
    refuse_unless(can_import_mis(actor.user), actor, detail=NOT_AN_ADMINISTRATOR)


def access_mis_import_run(actor: Actor, pk: int) -> MisImport:
    """One run's status and report, for administrators; anyone else, or a run that does not
    exist, gets the same audited 404."""
    allowed = can_import_mis(actor.user)
    run = mis_import_runs().filter(pk=pk).first() if allowed else None
    if run is None:
        refuse(
            actor,
            detail=NOT_AN_ADMINISTRATOR if not allowed else "no such MIS import",
            subject_type=MisImport._meta.label_lower,
            subject_id=pk,
        )
    return run
