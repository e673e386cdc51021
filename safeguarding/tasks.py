"""Scheduled and nudged work on safeguarding notifications. Tasks take ids (or nothing), call
a service and are idempotent: running one twice sends or creates nothing new."""

from celery import shared_task

from core.actor import Actor
from safeguarding.chronology.services import chronology_print_render, chronology_prints_sweep
from safeguarding.rules import (
    flag_overdue_actions,
    flag_overdue_referrals,
    flag_social_worker_not_informed,
    flag_transfers_due,
)
from safeguarding.services import notifications_for_unacknowledged
from safeguarding.sessions.services import prerecorded_provision_record
from safeguarding.transfers.services import file_transfer_seal, file_transfers_sweep
from schools.calendar import today


@shared_task
def check_unacknowledged() -> int:
    """Every five minutes: remind the DSL team, then escalate to the headteacher, once each,
    about concerns of any urgency not acknowledged within the school's limit for it."""
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


@shared_task(name="safeguarding.check_overdue_actions")
def check_overdue_actions() -> int:
    """Before school: flag actions on concerns still not done after their due date, for today
    in Europe/London, and tell who is to do them and the site's DSL team. Safe to run again:
    one flag per action, one email per person and flag."""
    return flag_overdue_actions(today())


@shared_task(name="safeguarding.render_chronology_print")
def render_chronology_print(print_id: int) -> None:
    """Draw one printed chronology. Safe to deliver twice: a print already taken is left alone."""
    chronology_print_render(print_id=print_id)


@shared_task(name="safeguarding.sweep_chronology_prints")
def sweep_chronology_prints() -> dict[str, int]:
    """Delete expired printed chronologies and catch up on prints whose task was lost."""
    return chronology_prints_sweep()


@shared_task(name="safeguarding.check_overdue_referrals")
def check_overdue_referrals() -> int:
    """Before school: flag referrals with no response past the date one was awaited by, for
    today in Europe/London, and tell the site's DSL team. Safe to run again: one flag per
    referral and due date, one email per person and flag."""
    return flag_overdue_referrals(today())


@shared_task(name="safeguarding.check_transfers_due")
def check_transfers_due() -> int:
    """Before school: give each leaver's child-protection file its transfer flag (due 5
    school days after the last day), and keep the flags true. Safe to run again: one flag per
    leaving."""
    return flag_transfers_due(today())


@shared_task(name="safeguarding.seal_file_transfer")
def seal_file_transfer(transfer_id: int) -> None:
    """Seal one leaver's child-protection file and release its link's email. Safe to deliver
    twice: a transfer already taken is left alone."""
    file_transfer_seal(transfer_id=transfer_id)


@shared_task(name="safeguarding.sweep_file_transfers")
def sweep_file_transfers() -> int:
    """Send again the sealing of transfers whose task was lost; close those a dead worker left
    running. Returns how many were sent again."""
    return file_transfers_sweep()["sent_again"]
