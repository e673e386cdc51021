"""Scheduled checks: longer absences (case flags), overdue actions on concerns and referrals
awaiting a response past their date.

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
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from cases.flags.engine import all_of, period_rule, rule_run, running, sql
from cases.models import FlagKind
from core.tasks import outbox_nudge
from safeguarding.models import (
    Action,
    ActionFlag,
    ActionOverdueNotice,
    ConcernStatus,
    OverdueNotice,
    PupilLeaving,
    Referral,
    ReferralFlag,
    ReferralOverdueNotice,
    ReferralResponse,
    SafeguardingSettings,
    SocialWorkerInformed,
    TransferFlag,
    TransferOverdueNotice,
)
from safeguarding.permissions import covering, dsl_teams_of
from schools.models import SchoolDay
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

# One flag to notify: the flag, its concern, the pupil's school and site, and whoever else is
# told besides the site's DSL team (the person an action is for), or None.
Flagged = tuple[int, int, int, int | None, int | None]


def _tell_dsl_teams(notice: type[OverdueNotice], flagged: list[Flagged]) -> None:
    """One email per person and flag, to the DSL team covering each flag's site (and the
    extra person): one query for the teams, one INSERT (unique per person and flag, so a
    second run tells nobody again), then a nudge to the outbox."""
    team = dsl_teams_of({school_id for _, _, school_id, _, _ in flagged})
    rows = set()
    for flag_id, concern_id, school_id, site_id, also in flagged:
        for user_id in covering(team, school_id, site_id) + ([also] if also else []):
            rows.add((user_id, flag_id, concern_id))
    notice.objects.bulk_create(
        [notice(recipient_id=u, flag_id=f, concern_id=c) for u, f, c in sorted(rows)],
        ignore_conflicts=True,
    )
    outbox_nudge(notice)


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
    _tell_dsl_teams(
        ActionOverdueNotice,
        [
            (flags[pk], concern_id, school_id, site_id, who_id)
            for pk, who_id, concern_id, school_id, site_id in due
        ],
    )
    return len(due)


ANSWERED = "No longer applies: a response was recorded or the agency chased"


@transaction.atomic
def flag_overdue_referrals(today: datetime.date) -> int:
    """Flag every referral with no response recorded after the date one was awaited by (the
    referral's expected date, or the one its latest chase set), and tell the DSL team of the
    pupil's site, once. A closed concern's referrals are flagged too: closing a concern does
    not answer a referral.

    Set-based, the same shape and statements as flag_overdue_actions whatever the number of
    referrals: a tidy-up UPDATE of open flags answered by a route that did not resolve them (a
    response, or a chase that moved the date); one SELECT of the referrals due a flag; one
    INSERT of their flags (unique per referral and date, so a second run raises none); one
    SELECT of those flags; one of the DSL teams; one INSERT of the notices.
    """
    answered = ReferralResponse.objects.filter(referral=OuterRef("referral_id"))
    ReferralFlag.objects.filter(resolved_at__isnull=True).filter(
        Q(Exists(answered)) | ~Q(due_on=F("referral__due_on"))
    ).update(resolved_at=timezone.now(), resolution=ANSWERED)
    due = list(
        Referral.objects.filter(due_on__lt=today)
        .exclude(Exists(ReferralResponse.objects.filter(referral=OuterRef("pk"))))
        .exclude(
            Exists(ReferralFlag.objects.filter(referral=OuterRef("pk"), due_on=OuterRef("due_on")))
        )
        .values_list(
            "pk",
            "due_on",
            "concern_id",
            "concern__pupil__school_id",
            "concern__pupil__school_class__site_id",
        )
    )
    if not due:
        return 0
    ReferralFlag.objects.bulk_create(
        [ReferralFlag(referral_id=pk, due_on=due_on) for pk, due_on, *_ in due],
        ignore_conflicts=True,
    )
    flags = {
        (referral_id, due_on): pk
        for referral_id, due_on, pk in ReferralFlag.objects.filter(
            referral_id__in=[pk for pk, *_ in due]
        ).values_list("referral_id", "due_on", "pk")
    }
    _tell_dsl_teams(
        ReferralOverdueNotice,
        [
            (flags[pk, due_on], concern_id, school_id, site_id, None)
            for pk, due_on, concern_id, school_id, site_id in due
        ],
    )
    return len(due)


# --- Child-protection file transfer (KCSIE) ---------------------------------------------------
# KCSIE: the DSL sends a leaver's child-protection file to the new school within 5 school
# days of the pupil leaving (or of the start of a new term). Counted on this school's
# calendar from the day after the last day, a pupil leaving at the end of a term has until
# the 5th school day of the next one.
TRANSFER_SCHOOL_DAYS = 5
BACK_ON_ROLL = "No longer applies: the pupil is back on roll"


def transfer_due_on() -> Subquery:
    """The 5th school day after a flag's leaving date, as a subquery (NULL while the school's
    calendar does not reach it)."""
    # An UPDATE may not join: the leaving is looked up inside the subquery.
    leaving = PupilLeaving.objects.filter(pk=OuterRef(OuterRef("leaving_id")))
    return Subquery(
        SchoolDay.objects.filter(
            school_id=Subquery(leaving.values("pupil__school_id")[:1]),
            date__gt=Subquery(leaving.values("left_on")[:1]),
        )
        .order_by("date")
        .values("date")[TRANSFER_SCHOOL_DAYS - 1 : TRANSFER_SCHOOL_DAYS]
    )


@transaction.atomic
def flag_transfers_due(today: datetime.date) -> int:
    """Give every leaver's file a transfer flag, and keep the flags true.

    Set-based, the same statements whatever the number of leavers: a tidy-up UPDATE resolving
    open flags of pupils back on roll; one SELECT of the leavings with no flag (a receipt
    resolves a flag, it never goes); one INSERT of their flags (one per leaving: a second
    run raises none); one UPDATE giving open flags without a due date the 5th school day
    after the leaving, once the calendar reaches it; then the day's emails about files past
    their date (``_tell_of_overdue_transfers``). ``today`` is the day the rule runs for.
    """
    TransferFlag.objects.filter(resolved_at__isnull=True, leaving__pupil__on_roll=True).update(
        resolved_at=timezone.now(), resolution=BACK_ON_ROLL
    )
    new = list(
        PupilLeaving.objects.filter(flag__isnull=True, pupil__on_roll=False).values_list(
            "pk", flat=True
        )
    )
    if new:
        TransferFlag.objects.bulk_create(
            [TransferFlag(leaving_id=pk) for pk in new], ignore_conflicts=True
        )
    TransferFlag.objects.filter(resolved_at__isnull=True, due_on__isnull=True).update(
        due_on=transfer_due_on()
    )
    _tell_of_overdue_transfers(today)
    return len(new)


def _tell_of_overdue_transfers(today: datetime.date) -> None:
    """On a school day, one email to each of a site's DSL team while files of its leavers are
    past their date and not yet received: one SELECT of the open flags past their date, counted
    per site (only where ``today`` is a school day of the pupil's school); one of the DSL
    teams; one INSERT of the notices (unique per person, site and day, so a second run the
    same day tells nobody again; the next school day tells them again, until the receipt)."""
    school_day = SchoolDay.objects.filter(
        school_id=OuterRef("leaving__pupil__school_id"), date=today
    )
    overdue = list(
        TransferFlag.objects.filter(resolved_at__isnull=True, due_on__lt=today)
        .filter(Exists(school_day))
        .values_list("leaving__pupil__school_id", "leaving__pupil__school_class__site_id")
        .annotate(files=Count("pk"))
        .order_by()
    )
    if not overdue:
        return
    team = dsl_teams_of({school_id for school_id, _, _ in overdue})
    TransferOverdueNotice.objects.bulk_create(
        [
            TransferOverdueNotice(recipient_id=user_id, site_id=site_id, day=today, files=files)
            for school_id, site_id, files in overdue
            for user_id in covering(team, school_id, site_id)
        ],
        ignore_conflicts=True,
    )
    outbox_nudge(TransferOverdueNotice)
