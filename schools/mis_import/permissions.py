"""The MIS import's gates: administrators only, and for everyone else the pages do not exist."""

from core.actor import Actor
from dataprotection.refusals import refuse, refuse_unless
from schools.mis_import.runs import mis_import_runs
from schools.models import MisImport
from schools.permissions import can_import_mis

NOT_AN_ADMINISTRATOR = "MIS import: administrators only"


def access_mis_import(actor: Actor) -> None:
    """The upload page (404 for anyone but an administrator)."""
    refuse_unless(can_import_mis(actor.user), actor, detail=NOT_AN_ADMINISTRATOR)


def access_mis_import_run(actor: Actor, pk: int) -> MisImport:
    """One run, for an administrator (its progress, its report, importing it for real)."""
    access_mis_import(actor)
    run = mis_import_runs().filter(pk=pk).first()
    if run is None:
        refuse(
            actor,
            detail="MIS import: no such run",
            subject_type=MisImport._meta.label_lower,
            subject_id=pk,
        )
    return run
