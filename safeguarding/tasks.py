"""Scheduled and nudged work on safeguarding notifications. Tasks take ids (or nothing), call
a service and are idempotent: running one twice sends or creates nothing new."""

from celery import shared_task

from core.actor import Actor
from safeguarding.rules import flag_social_worker_not_informed
from safeguarding.services import notifications_for_unacknowledged
from safeguarding.sessions.services import prerecorded_provision_record
from schools.calendar import today


@shared_task
def check_unacknowledged() -> int:
    """Every five minutes: remind the DSL team and escalate to the headteacher, once, about
    immediate concerns not acknowledged in time."""
    return notifications_for_unacknowledged()


@shared_task(name="safeguarding.check_long_absences")
def check_long_absences() -> int:
    """Before school: flag longer absences whose social worker has not been informed, for
    today in Europe/London. Safe to run again: one flag per case."""
    return flag_social_worker_not_informed(today())


@shared_task(name="safeguarding.record_prerecorded_provision")
def record_prerecorded_provision() -> int:
    """Each morning: today's pre-recorded lessons, planned earlier, become today's provision
    on the pupils' running cases. Safe to run again: one provision per case and day."""
    return prerecorded_provision_record(on=today(), actor=Actor.system(route="beat"))
