"""The child's week on the family portal: the school days of one week (Monday to Friday, in
Europe/London), the provision recorded for the child's open case and their virtual sessions.

It shows what was sent and the links the teacher added (web addresses only), and a session's
meeting link only when the family's agreement counts for that session's day (the one check in
``safeguarding.sessions.services``). Nothing else of the case and no safeguarding record:
sessions are read for their title, time and link alone, never their checklist, attendance or
any concern raised from them. Four queries whatever the number of rows.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from cases.models import OPEN_STATUSES, Case, Provision
from safeguarding.models import SessionKind, VirtualSession
from safeguarding.sessions.services import with_family_agreement
from schools.calendar import today
from schools.models import Pupil, SchoolDay

WEEK = datetime.timedelta(days=7)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class SessionShown:
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    live: bool
    stopped: bool
    family_agreed: bool
    meeting_link: str

    @property
    def upcoming(self) -> bool:
        return self.ends_at > timezone.now() and not self.stopped


@dataclass(frozen=True, slots=True)
class ProvisionShown:
    sent: list[str]
    links: list[str]


@dataclass
class DayShown:
    date: datetime.date
    provision: ProvisionShown | None = None
    sessions: list[SessionShown] = field(default_factory=list)


@dataclass
class ChildWeek:
    pupil: Pupil
    monday: datetime.date
    case: Case | None
    days: list[DayShown]

    @property
    def friday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=4)

    @property
    def previous_monday(self) -> datetime.date:
        return self.monday - WEEK

    @property
    def next_monday(self) -> datetime.date:
        return self.monday + WEEK

    @property
    def is_this_week(self) -> bool:
        return self.monday == monday_of(today())

    @property
    def nothing_recorded(self) -> bool:
        return not any(day.provision or day.sessions for day in self.days)


def _provision_shown(provision: Provision) -> ProvisionShown:
    sent = [
        label
        for done, label in (
            (provision.sent_by_email, "Planning and activities emailed to you"),
            (provision.sent_as_work_pack, "A work pack sent home"),
            (provision.sent_to_platform, "Work on the home learning platform"),
            (provision.visual_timetable_sent, "A visual timetable"),
            (provision.resources_signposted, "Online learning resources"),
        )
        if done
    ]
    return ProvisionShown(sent=sent, links=provision.links)


def _session_shown(session: VirtualSession) -> SessionShown:
    live = session.kind == SessionKind.LIVE
    agreed = bool(session.family_agreed)
    stopped = session.stopped_at is not None
    return SessionShown(
        title=session.title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        live=live,
        stopped=stopped,
        family_agreed=agreed,
        meeting_link=session.meeting_link if live and agreed and not stopped else "",
    )


def child_week(pupil: Pupil, monday: datetime.date) -> ChildWeek:
    """The week starting ``monday`` for ``pupil`` (who came through the family portal's gate)."""
    monday = monday_of(monday)
    friday = monday + datetime.timedelta(days=4)
    school_days = SchoolDay.objects.filter(
        school_id=pupil.school_id, date__range=(monday, friday)
    ).values_list("date", flat=True)
    case = (
        Case.objects.filter(pupil=pupil, status__in=OPEN_STATUSES)
        .only("pk", "pupil_id", "status", "start_date", "end_date")
        .first()
    )
    days = {day: DayShown(date=day) for day in sorted(school_days)}
    if case is not None and days:
        for provision in Provision.objects.filter(case=case, date__in=list(days)):
            days[provision.date].provision = _provision_shown(provision)
    if days:
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=zone)
        sessions = with_family_agreement(
            VirtualSession.objects.filter(
                pupils=pupil, starts_at__gte=start, starts_at__lt=start + WEEK
            ).only("title", "kind", "starts_at", "minutes", "meeting_link", "stopped_at"),
            pupil.pk,
        ).order_by("starts_at", "pk")
        for session in sessions:
            day = timezone.localtime(session.starts_at).date()
            if day in days:
                days[day].sessions.append(_session_shown(session))
    return ChildWeek(pupil=pupil, monday=monday, case=case, days=list(days.values()))
