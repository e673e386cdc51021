"""Scheduled checks: longer absences (case flags) and overdue actions on concerns.

Longer absences (policy section 3.2): a pupil with a social worker who
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

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.flags.engine import all_of, period_rule, rule_run, running, sql
from cases.models import FlagKind
from core.tasks import outbox_nudge
from safeguarding.models import (
    Action,
    ActionFlag,
    ActionOverdueNotice,
    ConcernStatus,
    SafeguardingSettings,
    SocialWorkerInformed,
)
from safeguarding.permissions import DSL_TEAM_ROLES
from schools.models import Membership
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


NO_LONGER_DUE = "No longer applies: the action was done or its concern closed"


@transaction.atomic
def flag_overdue_actions(today: datetime.date) -> int:
    """Flag every action on an open concern still not done after its due date, and tell the
    person who is to do it and the DSL team of the pupil's site, once.

    Set-based, the same statements whatever the number of actions: a tidy-up UPDATE resolving
    open flags whose action was done (by a route that did not resolve it) or whose concern was
    closed; one SELECT of the actions due a flag; one INSERT of their flags (one per action:
    the unique action keeps a second run from raising another); one SELECT of the flags just
    raised; one of the DSL teams; one INSERT of the notices (unique per person and flag).
    """
    now = timezone.now()
    ActionFlag.objects.filter(resolved_at__isnull=True).filter(
        Q(action__done_on__isnull=False) | Q(action__concern__status=ConcernStatus.CLOSED)
    ).update(resolved_at=now, resolution=NO_LONGER_DUE)
    due = list(
        Action.objects.filter(due_on__lt=today, done_on__isnull=True, flag__isnull=True)
        .exclude(concern__status=ConcernStatus.CLOSED)
        .values_list(
            "pk",
            "who_id",
            "concern_id",
            "concern__pupil__school_id",
            "concern__pupil__school_class__site_id",
        )
    )
    if not due:
        return 0
    ActionFlag.objects.bulk_create(
        [ActionFlag(action_id=pk) for pk, *_ in due], ignore_conflicts=True
    )
    flags = dict(
        ActionFlag.objects.filter(action_id__in=[pk for pk, *_ in due]).values_list(
            "action_id", "pk"
        )
    )
    team = list(
        Membership.objects.filter(
            role__in=DSL_TEAM_ROLES,
            school_id__in={row[3] for row in due},
            user__is_active=True,
        )
        .filter(Q(site__isnull=False) | Q(school_class__isnull=True))
        .values_list("user_id", "school_id", "site_id")
    )
    notices = set()
    for action_id, who_id, concern_id, school_id, site_id in due:
        flag_id = flags[action_id]
        notices.add((who_id, flag_id, concern_id))
        for user_id, member_school, member_site in team:
            if member_school == school_id and member_site in (None, site_id):
                notices.add((user_id, flag_id, concern_id))
    ActionOverdueNotice.objects.bulk_create(
        [
            ActionOverdueNotice(recipient_id=u, flag_id=f, concern_id=c)
            for u, f, c in sorted(notices)
        ],
        ignore_conflicts=True,
    )
    outbox_nudge(ActionOverdueNotice)
    return len(due)
