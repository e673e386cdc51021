"""Scheduled check for longer absences (policy section 3.2): a pupil with a social worker who
has been on remote education for more than the school's number of school days must have had
their social worker informed.

The rule is one tidy-up and one raise through the flag engine (cases.flags.engine): two
statements whatever the number of cases, and running it again raises nothing new. The tidy-up
resolves the open flags whose condition no longer holds (the social worker was informed by a
route that did not resolve the flag, or the case stopped running). Period: the case's start
date, so one flag per case.

School days are the SchoolDay rows of the pupil's school from the case's start date to today
(SafeguardingSettings.long_absence_school_days, or that field's default for a school that has
not saved its settings).
"""

import datetime

from cases.flags.engine import all_of, period_rule, rule_run, running, sql
from cases.models import FlagKind
from safeguarding.models import SafeguardingSettings, SocialWorkerInformed
from schools.sql import date_param

# A running case of a pupil with a social worker, for whom nobody has recorded telling them...
_NOT_INFORMED = """p.social_worker_name <> ''
AND NOT EXISTS (SELECT 1 FROM {informed} i WHERE i.case_id = c.id)"""
_SETTINGS_JOIN = "LEFT JOIN {settings} s ON s.school_id = p.school_id"
# ...for more than the school's number of school days (left out of whether a flag stands).
_LONG_ABSENCE = """(
    SELECT COUNT(*) FROM {school_day} d
    WHERE d.school_id = p.school_id AND d.date >= c.start_date AND d.date <= %s
) > COALESCE(s.long_absence_school_days, %s)"""


def flag_social_worker_not_informed(today: datetime.date) -> int:
    """Flag running cases of pupils with a social worker, on remote education for more than
    the school's number of school days, whose social worker has not been recorded as informed.

    Recording it (safeguarding.visits.services.social_worker_informed_record) resolves the
    flag; the tidy-up catches cases closed or informed by another route. Two statements.
    """
    default_days = SafeguardingSettings._meta.get_field("long_absence_school_days").get_default()
    rule = period_rule(
        kind=FlagKind.SOCIAL_WORKER_NOT_INFORMED,
        period="c.start_date",
        condition=all_of(running(), sql(_NOT_INFORMED)),
        today=sql(_LONG_ABSENCE, date_param(today), default_days),
        joins=sql(_SETTINGS_JOIN),
        tables={"settings": SafeguardingSettings, "informed": SocialWorkerInformed},
    )
    return rule_run(rule).raised
