"""The demo school's who-to-contact directory (policy section 4).

Invented people and numbers only: phone numbers in Ofcom's drama ranges (01632 960xxx,
07700 900xxx), email addresses at demo-school.example or support.example. The DSL teams,
nurses, family support workers, IT and the DPO are the demo school's own logins, read from
their memberships, so the directory names the people who sign in with those roles.

Safe to run again: rows are found by school, concern, site and name, so a second load
changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.demo import DEMO_CASES, at, backdate, demo_cases, demo_day, school_days_back
from cases.flags.rules import run_case_rules
from cases.models import Case, Status
from contacts.models import (
    Channel,
    Concern,
    ContactKind,
    ContactLog,
    ContactPlan,
    ContactPlanVersion,
    ContactSettings,
    DirectoryEntry,
    Outcome,
)
from contacts.rules import run_daily_contact_rules, run_extra_call_rules, run_weekly_contact_rules
from contacts.services import contact_log_record, contact_plan_save, logged_late, week_start
from core.actor import Actor
from schools.models import Membership, Role, School, SchoolDay

SCHOOL_EMAIL_DOMAIN = "demo-school.example"

# Roles read from memberships: (concern, role, the entry's role text, phone prefix).
FROM_MEMBERSHIPS = (
    (Concern.SAFEGUARDING, Role.DSL, "Designated Safeguarding Lead"),
    (Concern.SAFEGUARDING, Role.DEPUTY_DSL, "Deputy Designated Safeguarding Lead"),
    (Concern.PUPIL_HEALTH, Role.SCHOOL_NURSE, "School nurse"),
    (Concern.FAMILY_WELFARE, Role.FAMILY_SUPPORT, "Family support worker"),
    (Concern.IT, Role.IT_STAFF, "IT technician"),
    (Concern.DATA_PROTECTION, Role.DPO, "Data Protection Officer"),
    (Concern.WORKLOAD, Role.HEADTEACHER, "Headteacher"),
)

# Fixed invented numbers, one per (role, site name or "school").
PHONES = {
    (Role.DSL, "North site"): "01632 960201",
    (Role.DSL, "South site"): "01632 960202",
    (Role.DEPUTY_DSL, "North site"): "01632 960203",
    (Role.DEPUTY_DSL, "South site"): "01632 960204",
    (Role.SCHOOL_NURSE, "North site"): "07700 900311",
    (Role.SCHOOL_NURSE, "South site"): "07700 900312",
    (Role.FAMILY_SUPPORT, "North site"): "07700 900321",
    (Role.FAMILY_SUPPORT, "South site"): "07700 900322",
    (Role.IT_STAFF, "school"): "01632 960230",
    (Role.DPO, "school"): "01632 960240",
    (Role.HEADTEACHER, "school"): "01632 960200",
}

# Entries that are not one of the demo logins.
OTHER_ENTRIES = (
    {
        "concern": Concern.SETTING_WORK,
        "name": "Curriculum and pathways team",
        "role": "Pathway leads",
        "phone": "01632 960210",
        "email": f"curriculum@{SCHOOL_EMAIL_DOMAIN}",
        "notes": "Differentiating work, work packs and signposted resources.",
        "position": 0,
    },
    {
        "concern": Concern.IT,
        "name": "IT helpdesk",
        "role": "Logins, devices and Microsoft Teams",
        "phone": "01632 960231",
        "email": f"ithelp@{SCHOOL_EMAIL_DOMAIN}",
        "notes": "Staffed 8.30am to 4pm on school days.",
        "position": 1,
    },
    {
        "concern": Concern.WORKLOAD,
        "name": "Staff Support Line",
        "role": "Free, confidential support for school staff, day and night",
        "phone": "01632 960999",
        "email": "listen@support.example",
        "notes": "Independent of the school: nobody here is told you called.",
        "external": True,
        "position": 1,
    },
    {
        "concern": Concern.SAFEGUARDING,
        "name": "Safeguarding team inbox",
        "role": "Both sites",
        "phone": "",
        "email": f"safeguarding@{SCHOOL_EMAIL_DOMAIN}",
        "notes": "Record the concern in the app as well; telephone the DSL if a child is at risk.",
        "position": 9,
    },
)


def _login(email: str) -> str:
    return email.partition("@")[0]


@transaction.atomic
def directory_demo_load(school: School) -> list[DirectoryEntry]:
    """Fill in the demo school's directory (and its availability hours). Idempotent."""
    ContactSettings.objects.get_or_create(school=school)
    entries = []

    def upsert(*, concern: str, site: object, name: str, **values: object) -> None:
        entry, _ = DirectoryEntry.objects.update_or_create(
            school=school, concern=concern, site=site, name=name, defaults=values
        )
        entries.append(entry)

    memberships = (
        Membership.objects.filter(school=school, role__in=[role for _, role, _ in FROM_MEMBERSHIPS])
        .select_related("user", "site")
        .order_by("role", "site__name", "user__full_name", "id")
    )
    for concern, role, role_text in FROM_MEMBERSHIPS:
        for membership in (m for m in memberships if m.role == role):
            user, site = membership.user, membership.site
            phone = PHONES.get((role, site.name if site else "school"), "")
            upsert(
                concern=concern,
                site=site,
                name=user.full_name or _login(user.email),
                role=role_text,
                phone=phone,
                email=user.email,
                notes="",
                external=False,
                position=1 if role == Role.DEPUTY_DSL else 0,
            )
    for values in OTHER_ENTRIES:
        values = dict(values)
        upsert(
            concern=values.pop("concern"),
            site=None,
            name=values.pop("name"),
            external=values.pop("external", False),
            **values,
        )
    return entries


# --- The contact log -------------------------------------------------------------------------

# How far back the log goes, in school days before the demo day.
CONTACT_HISTORY = 15
# The service asks why a contact is logged more than two school days late; the demo's history
# is dated to the day it stands for instead (cases.demo.backdate), so this never shows.
BACKFILLED = "Demo history, dated to the day of the contact."
WELL = (
    "Slept well and ate breakfast; happy to see the class on the call.",
    "A bit tired today but joined in with the story.",
    "In good spirits; proud of the model they made.",
    "Some pain in the morning, better after medication; managed the reading.",
)
WORK = (
    "Did the sensory story with mum; enjoyed the bubbles.",
    "Finished the maths pack; asked for more like it.",
    "Managed half of the work; found the writing hard.",
    "Loved the cooking activity and sent a photo to the platform.",
)
SILENT_DAYS = 3


def _staff_of(case: Case) -> list[object]:
    members = (
        Membership.objects.filter(
            school_class=case.pupil.school_class, role__in=(Role.TEACHER, Role.CLASS_STAFF)
        )
        .select_related("user")
        .order_by("role", "user__email")
    )
    return [m.user for m in members] or [case.created_by]


def _log(case: Case, staff: object, moment: datetime.datetime, **values: object) -> None:
    school = case.pupil.school
    local = timezone.localdate(moment)
    late = logged_late(school, local, timezone.localdate())
    contact = contact_log_record(
        actor=Actor.for_user(staff),
        case=case,
        contacted_at=moment,
        late_reason=BACKFILLED if late else "",
        **values,
    )
    backdate(
        ContactLog.objects.filter(pk=contact.pk),
        late_reason="",
        recorded_at=moment + datetime.timedelta(minutes=6),
    )


def _case_log(case: Case, pattern: str, days: list[datetime.date], n: int, today_too: bool):
    """The contacts of one case on these school days, by its pattern."""
    staff = _staff_of(case)
    teacher = staff[-1] if len(staff) > 1 else staff[0]
    channel = Channel.TELEPHONE if n % 3 else Channel.TEAMS
    silent_from = len(days) - SILENT_DAYS
    seen_weeks: set[datetime.date] = set()
    for i, day in enumerate(days):
        moment = at(day, 9, 10 + (n * 7) % 45)
        if pattern == "missed" and i == len(days) - 1:
            continue
        silent = (pattern == "silent" and i >= silent_from) or (pattern == "visited" and i < 3)
        if silent:
            _log(
                case,
                teacher,
                moment,
                channel=Channel.TELEPHONE,
                outcome=Outcome.NO_RESPONSE if i % 2 else Outcome.MESSAGE_LEFT,
            )
            continue
        week = week_start(day)
        wellbeing = week not in seen_weeks and pattern != "no_wellbeing"
        seen_weeks.add(week)
        _log(
            case,
            teacher,
            moment,
            channel=channel,
            kind=ContactKind.WELLBEING if wellbeing else ContactKind.DAILY,
            outcome=Outcome.SPOKE_WITH_CARER if wellbeing or i % 2 else Outcome.SPOKE_WITH_PUPIL,
            pupil_well=True if wellbeing else None,
            wellbeing_notes=WELL[(n + i) % len(WELL)] if wellbeing else "",
            work_feedback=WORK[(n + i) % len(WORK)],
        )
        if pattern == "extra_calls" and i < len(days) - 1:
            # The extra call the DSL team decided on; the last day's was not made.
            _log(
                case,
                staff[0],
                at(day, 14, 30),
                channel=Channel.TELEPHONE,
                kind=ContactKind.OTHER,
                outcome=Outcome.SPOKE_WITH_CARER,
                wellbeing_notes="Afternoon call as agreed with the DSL team; calmer after lunch.",
            )
    if today_too and pattern not in ("silent", "missed"):
        _log(
            case,
            teacher,
            at(timezone.localdate(), 9, 10 + (n * 7) % 45),
            channel=channel,
            outcome=Outcome.SPOKE_WITH_PUPIL,
            work_feedback=WORK[n % len(WORK)],
        )


def _extra_calls_plan(case: Case) -> None:
    dsl = (
        Membership.objects.filter(
            school=case.pupil.school, role=Role.DSL, site=case.pupil.school_class.site
        )
        .select_related("user")
        .first()
    )
    if dsl is None:
        return
    contact_plan_save(
        actor=Actor.for_user(dsl.user),
        case=case,
        extra_calls_per_day=1,
        decided_reason="Very low mood: an afternoon call every school day until the CAMHS "
        "appointment, agreed with the family.",
    )
    decided = at(case.start_date, 12)
    backdate(ContactPlan.objects.filter(case=case), decided_at=decided)
    backdate(ContactPlanVersion.objects.filter(plan__case=case), decided_at=decided)


def _last_day_of_last_week(school: School, day: datetime.date) -> datetime.date | None:
    return (
        SchoolDay.objects.filter(school=school, date__lt=week_start(day))
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


@transaction.atomic
def contacts_demo_load(school: School) -> int:
    """The contact log of every running demo case over the last three school weeks, then the
    flag rules run once, as the scheduled jobs would have run them after school yesterday and
    at the end of last week. A school with contacts already is left alone. Returns the number
    of contacts logged."""
    running = list(
        Case.objects.filter(pupil__school=school, status__in=(Status.ACTIVE, Status.REINTEGRATING))
        .select_related("pupil__school_class__site", "pupil__school", "created_by")
        .order_by("pupil__school_class__name", "pupil__last_name", "pk")
    )
    if not running or ContactLog.objects.filter(case__pupil__school=school).exists():
        return 0
    day = demo_day(school)
    yesterday = school_days_back(school, 1, anchor=day)
    first = school_days_back(school, CONTACT_HISTORY, anchor=day)
    by_key = demo_cases(school)
    patterns = {by_key[plan.key].pk: plan.contacts for plan in DEMO_CASES if plan.key in by_key}
    # Today's contacts once the morning's calls are under way: half the families so far.
    now = timezone.localtime()
    today_started = day == now.date() and now.hour >= 11
    days = list(
        SchoolDay.objects.filter(school=school, date__range=(first, yesterday))
        .order_by("date")
        .values_list("date", flat=True)
    )
    for n, case in enumerate(running):
        pattern = patterns.get(case.pk, "daily")
        if pattern == "extra_calls":
            _extra_calls_plan(case)
        mine = [d for d in days if case.start_date <= d <= case.end_date]
        _case_log(case, pattern, mine, n, today_started and n % 2 == 0)

    last_week = _last_day_of_last_week(school, day)
    if last_week is not None:
        run_weekly_contact_rules(last_week)
    run_daily_contact_rules(yesterday)
    run_extra_call_rules(yesterday)
    run_case_rules(day)
    return ContactLog.objects.filter(case__pupil__school=school).count()
