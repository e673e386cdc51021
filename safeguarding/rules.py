"""Scheduled check for longer absences (policy section 3.2): a pupil with a social worker who
has been on remote education for more than the school's number of school days must have had
their social worker informed.

Like ``cases.rules`` and ``contacts.rules``, the rule is a set-based ``INSERT INTO cases_flag
... SELECT ... ON CONFLICT (case_id, kind, period) DO NOTHING`` beside a tidy-up ``UPDATE``
that resolves the open flags whose condition no longer holds (the social worker was informed
by a route that did not resolve the flag, or the case stopped running). Two statements
whatever the number of cases; running it again raises nothing new. Period: the case's start
date, so one flag per case.

School days are the SchoolDay rows of the pupil's school from the case's start date to today
(SafeguardingSettings.long_absence_school_days, or that field's default for a school that has
not saved its settings). Tables are named from the models' ``_meta``; every value is passed to
the driver as a parameter.
"""

import datetime
import logging

from django.db import transaction

from cases.models import Case, Flag, FlagKind
from cases.rules import NO_LONGER_APPLIES, RUNNING_STATUSES
from safeguarding.models import SafeguardingSettings, SocialWorkerInformed
from schools.models import Pupil, SchoolDay
from schools.sql import date_param, execute, now_param

logger = logging.getLogger(__name__)

_RAISE = """
INSERT INTO {flag} (case_id, kind, period, raised_at, resolution)
SELECT c.id, %s, c.start_date, %s, ''
FROM {case} c
JOIN {pupil} p ON p.id = c.pupil_id
LEFT JOIN {settings} s ON s.school_id = p.school_id
WHERE {condition} AND (
    SELECT COUNT(*) FROM {school_day} d
    WHERE d.school_id = p.school_id AND d.date >= c.start_date AND d.date <= %s
) > COALESCE(s.long_absence_school_days, %s)
ON CONFLICT (case_id, kind, period) DO NOTHING
"""

_TIDY = """
UPDATE {flag} SET resolved_at = %s, resolution = %s
WHERE resolved_at IS NULL AND kind = %s AND NOT EXISTS (
    SELECT 1 FROM {case} c JOIN {pupil} p ON p.id = c.pupil_id
    WHERE c.id = {flag}.case_id AND c.start_date = {flag}.period AND {condition}
)
"""

# A running case of a pupil with a social worker, for whom nobody has recorded telling them.
# The day count is left out of the tidy-up on purpose: a school raising its threshold should
# not withdraw flags already raised.
_CONDITION = """c.status IN (%s, %s) AND p.social_worker_name <> ''
AND NOT EXISTS (SELECT 1 FROM {informed} i WHERE i.case_id = c.id)"""


def _sql(template: str) -> str:
    tables = {
        "flag": Flag._meta.db_table,
        "case": Case._meta.db_table,
        "pupil": Pupil._meta.db_table,
        "school_day": SchoolDay._meta.db_table,
        "settings": SafeguardingSettings._meta.db_table,
        "informed": SocialWorkerInformed._meta.db_table,
    }
    return template.format(condition=_CONDITION.format(**tables), **tables)


@transaction.atomic
def flag_social_worker_not_informed(today: datetime.date) -> int:
    """Flag running cases of pupils with a social worker, on remote education for more than
    the school's number of school days, whose social worker has not been recorded as informed.

    Recording it (services_visits.social_worker_informed_record) resolves the flag; the
    tidy-up catches cases closed or informed by another route. Two statements.
    """
    kind = FlagKind.SOCIAL_WORKER_NOT_INFORMED
    resolved = execute(_sql(_TIDY), [now_param(), NO_LONGER_APPLIES, kind, *RUNNING_STATUSES])
    if resolved:
        logger.info("Safeguarding rules: %s %s flag(s) no longer apply", resolved, kind)
    default_days = SafeguardingSettings._meta.get_field("long_absence_school_days").get_default()
    raised = execute(
        _sql(_RAISE),
        [kind, now_param(), *RUNNING_STATUSES, date_param(today), default_days],
    )
    logger.info("Safeguarding rules for %s raised %s %s flag(s)", today.isoformat(), raised, kind)
    return raised
