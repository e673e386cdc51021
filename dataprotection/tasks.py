"""Scheduled work on the access audit. Tasks call a service and are idempotent: a second run
with nothing new seals nothing, and verification only adds a record of the run."""

from celery import shared_task

from dataprotection.seals.services import audit_chain_verify, audit_seal_all


@shared_task
def seal_access_events() -> int:
    """Every 15 minutes: seal the events recorded since the last seal."""
    return audit_seal_all()


@shared_task
def verify_audit_chain() -> bool:
    """Nightly: recompute the seals; the result shows on the DPO's access-log page."""
    report, _ = audit_chain_verify()
    return report.ok
