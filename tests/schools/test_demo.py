import datetime
import hashlib
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from accounts.models import User
from cases.models import Case, Closure, Flag, FlagKind, Provision
from contacts.models import ContactLog
from contacts.selectors import today_page
from core.outbox import outboxes
from dataprotection.models import AccessAction, AccessEvent
from dpo.models import Breach, RequestStatus, SubjectAccessRequest
from governance.models import MonitoringActivity
from itsupport.models import DeviceLoan, SupportRequest
from safeguarding.dashboard.selectors import dashboard_for
from safeguarding.models import (
    Action,
    ActionFlag,
    BodyMark,
    Concern,
    ConcernStatus,
    Decision,
    HomeVisit,
    PupilLeaving,
    Referral,
    ReferralFlag,
    SessionFamilyAgreement,
    TransferFlag,
    Urgency,
    VirtualSession,
)
from schools.calendar import bank_holidays, is_school_day
from schools.demo import (
    DEMO_LOGINS,
    INSET_DAYS,
    POSTS,
    SCHOOL,
    demo_load,
    demo_pupils,
    demo_shares,
    upn_check_letter,
)
from schools.models import (
    Carer,
    ClosureDay,
    ClosureKind,
    Membership,
    Pupil,
    Role,
    School,
    SchoolClass,
    SchoolDay,
)
from schools.permissions import pupils_visible_to
from tests.conftest import totp_code

DEMO_EMAILS = {account.email for account in DEMO_ACCOUNTS}


@pytest.fixture
def school(db) -> School:
    return demo_load()


def database_fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row, for every table Django knows."""
    fingerprint = {}
    for model in apps.get_models():
        rows = list(model._default_manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        fingerprint[model._meta.label] = (len(rows), digest)
    return fingerprint


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    out = StringIO()
    call_command("load_demo", allow_production=True, stdout=out)
    before = database_fingerprint()
    call_command("load_demo", allow_production=True, stdout=StringIO())

    assert database_fingerprint() == before
    assert before["schools.Pupil"][0] == 60
    assert before["schools.School"][0] == 1
    # The school's concern categories are there before anyone raises a concern, as for a
    # school made on the setup pages, so its setup page shows them.
    assert before["safeguarding.ConcernCategory"][0] > 0
    for label, email in DEMO_LOGINS:
        assert label in out.getvalue()
        assert email in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()


@pytest.mark.django_db
def test_the_command_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert not School.objects.exists()


def test_the_same_pupils_and_families_are_drawn_every_time():
    assert demo_pupils() == demo_pupils()


def test_the_login_table_lists_every_demo_login_once():
    emails = [email for _, email in DEMO_LOGINS]
    assert len(emails) == len(set(emails))
    assert set(emails) == DEMO_EMAILS
    assert all(email.endswith("@demo-school.example") for email in emails)
    secrets = [account.totp_secret for account in DEMO_ACCOUNTS]
    assert len(secrets) == len(set(secrets))


def test_every_role_has_a_demo_user(school):
    roles = set(
        Membership.objects.filter(school=school, user__email__in=DEMO_EMAILS).values_list(
            "role", flat=True
        )
    )
    assert roles == set(Role.values)


def test_every_class_has_a_teacher_and_class_staff(school):
    for school_class in SchoolClass.objects.filter(site__school=school):
        roles = set(school_class.memberships.values_list("role", flat=True))
        assert {Role.TEACHER, Role.CLASS_STAFF} <= roles, school_class


def test_every_demo_user_has_the_demo_password_and_a_known_authenticator(school):
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD)
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        assert TOTP(authenticator).validate_code(totp_code(account.totp_secret)), account.email
        assert re.fullmatch(r"[A-Z2-7]{32}", account.totp_secret)
    admin = User.objects.get(email="admin@demo-school.example")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.filter(is_staff=True).exclude(pk=admin.pk).exists()


def test_every_pupil_has_an_ehc_plan_or_social_worker_and_a_carer(school):
    pupils = Pupil.objects.filter(school=school).prefetch_related("carers")
    assert len(pupils) == 60
    assert any(pupil.has_social_worker for pupil in pupils)
    for pupil in pupils:
        assert pupil.has_ehc_plan or pupil.has_social_worker
        assert 1 <= len(pupil.carers.all()) <= 2, pupil.upn
        assert upn_check_letter(pupil.upn[1:]) == pupil.upn[0]
        if pupil.has_social_worker:
            assert re.fullmatch(r"01632 960\d{3}", pupil.social_worker_phone)
            assert pupil.social_worker_email.endswith("@midshire-council.example")
        for carer in pupil.carers.all():
            assert re.fullmatch(r"07700 900\d{3}", carer.phone)
            assert carer.email == "" or carer.email.endswith("@family.example")


def test_at_least_two_sibling_groups_share_their_carer_records(school):
    shared = (
        Carer.objects.filter(school=school)
        .annotate(children=Count("links"))
        .filter(children__gt=1)
        .prefetch_related("links")
    )
    not_fostered = [
        c for c in shared if {link.relationship for link in c.links.all()} != {"foster_carer"}
    ]
    assert len(not_fostered) >= 2
    for carer in not_fostered:
        assert len({link.pupil_id for link in carer.links.all()}) > 1


def test_pupils_are_the_right_age_for_their_phase(school):
    # Ages on 1 September 2026, the start of the academic year the demo is set in.
    ages = {"primary": (4, 11), "secondary": (11, 16), "post16": (16, 19)}
    start = datetime.date(2026, 9, 1)
    for pupil in Pupil.objects.filter(school=school).select_related("school_class"):
        born = pupil.date_of_birth
        age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
        youngest, oldest = ages[pupil.school_class.phase]
        assert youngest <= age <= oldest, (pupil.upn, age)


def test_school_days_exclude_weekends_bank_holidays_inset_days_and_half_terms(school):
    days = set(SchoolDay.objects.filter(school=school).values_list("date", flat=True))
    assert days
    assert all(day.weekday() < 5 for day in days)
    assert not days & set(bank_holidays(range(2025, 2028)))
    for inset in INSET_DAYS:
        assert not is_school_day(school, datetime.date.fromisoformat(inset))
    holidays_in_term = ClosureDay.objects.filter(school=school, kind=ClosureKind.HOLIDAY)
    assert holidays_in_term.exists()
    assert not days & set(holidays_in_term.values_list("date", flat=True))
    for day_off in ("2026-12-28", "2027-03-26", "2026-05-04", "2027-05-03", "2026-10-28"):
        assert not is_school_day(school, datetime.date.fromisoformat(day_off)), day_off
    assert is_school_day(school, datetime.date(2026, 9, 3))
    assert is_school_day(school, datetime.date(2027, 3, 25))


def test_each_academic_year_has_190_days_with_pupils_and_five_inset_days(school):
    for first, last in (("2025-09-01", "2026-08-31"), ("2026-09-01", "2027-08-31")):
        span = (datetime.date.fromisoformat(first), datetime.date.fromisoformat(last))
        assert SchoolDay.objects.filter(school=school, date__range=span).count() == 190
        insets = ClosureDay.objects.filter(school=school, kind=ClosureKind.INSET)
        assert insets.filter(date__range=span).count() == 5


def test_family_support_workers_and_nurses_see_only_the_pupils_their_dsl_shared(school):
    shares = demo_shares(demo_pupils())
    for post in POSTS:
        if post.role not in {Role.FAMILY_SUPPORT, Role.SCHOOL_NURSE}:
            continue
        user = User.objects.get(email=post.email)
        mine = {(upn, by) for upn, with_login, by in shares if with_login == post.login}
        upns = {upn for upn, _ in mine}
        (by_login,) = {by for _, by in mine}
        visible = pupils_visible_to(user).select_related("school_class__site")
        assert 2 <= len(upns) <= 3, post.login
        assert set(visible.values_list("upn", flat=True)) == upns
        assert all(pupil.school_class.site.name == post.site for pupil in visible)
        dsl = User.objects.get(email=f"{by_login}@demo-school.example")
        assert Membership.objects.filter(user=dsl, role=Role.DSL, site__name=post.site).exists()
        shares_made = AccessEvent.objects.filter(
            action=AccessAction.SHARE, detail=f"shared with user {user.pk}"
        )
        assert set(shares_made.values_list("user_id", flat=True)) == {dsl.pk}
        assert shares_made.count() == len(upns)


def test_the_school_is_invented(school):
    assert school.urn == SCHOOL["urn"] and re.fullmatch(r"\d{6}", school.urn)
    assert ".example/" in school.safeguarding_partnership_url
    assert school.sites.count() == 2
    assert school.pathways.count() >= 3


# --- The work the demo shows ------------------------------------------------------------------

# A Wednesday in the autumn term, mid-morning: the day's calls are under way.
WEDNESDAY = datetime.datetime(2026, 11, 25, 11, 30, tzinfo=ZoneInfo("Europe/London"))
# A Monday before school: nothing logged today yet, last week's rules have run.
MONDAY_EARLY = datetime.datetime(2026, 12, 7, 7, 45, tzinfo=ZoneInfo("Europe/London"))


def _load_at(moment: datetime.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        call_command("load_demo", allow_production=True, stdout=StringIO())


@pytest.fixture
def loaded(db) -> School:
    _load_at(WEDNESDAY)
    return School.objects.get(urn=SCHOOL["urn"])


def _login(login: str) -> User:
    return User.objects.get(email=f"{login}@demo-school.example")


def test_every_teacher_has_several_pupils_at_home_and_one_class_is_closed(loaded):
    teachers = [post.login for post in POSTS if post.role == Role.TEACHER]
    with time_machine.travel(WEDNESDAY, tick=False):
        for login in teachers:
            page = today_page(_login(login), WEDNESDAY.date())
            assert len(page.rows) >= 2, login
            assert page.school_day
        rowan = today_page(_login("teacher.rowan"), WEDNESDAY.date())
    closure = Closure.objects.get(school=loaded)
    assert closure.school_class.name == "Rowan"
    assert closure.start_date <= WEDNESDAY.date() <= closure.end_date
    assert len(rowan.rows) == closure.cases.count() == closure.school_class.pupils.count()
    # Mid-morning: some of today's calls are made, not all.
    contacted = sum(
        row.contacted
        for row in page.rows
        for page in [today_page(_login("teacher.post16"), WEDNESDAY.date())]
    )
    assert contacted > 0


def test_each_site_dsl_has_an_immediate_concern_waiting_first_and_work_on_the_dashboard(loaded):
    for login in ("dsl.north", "dsl.south"):
        with time_machine.travel(WEDNESDAY, tick=False):
            board = dashboard_for(_login(login))
        first = board.concerns[0]
        assert (first.urgency, first.status) == (Urgency.IMMEDIATE, ConcernStatus.RAISED), login
        assert WEDNESDAY - first.raised_at < datetime.timedelta(hours=1)
        assert board.unacknowledged >= 2
        assert board.open_concerns > board.unacknowledged
        assert board.overdue_action_count >= 1, login
        assert board.overdue_referral_count >= 1, login
        assert board.flag_count >= 1, login
    north = dashboard_for(_login("dsl.north"))
    assert north.visit_count == 1  # arranged, not yet made
    south = dashboard_for(_login("dsl.south"))
    assert south.transfer_count == 1 and south.transfers[0].school_days_overdue > 0
    # Each immediate concern told its site's DSL team at once.
    for concern in Concern.objects.filter(urgency=Urgency.IMMEDIATE):
        told = set(concern.notifications.values_list("recipient__email", flat=True))
        assert {
            f"dsl.{concern.pupil.school_class.site.name.split()[0].lower()}@demo-school.example"
        } <= told


def test_concerns_reach_every_stage_on_both_sites(loaded):
    for site in loaded.sites.all():
        here = Concern.objects.filter(pupil__school_class__site=site)
        assert here.filter(status=ConcernStatus.RAISED).count() >= 2
        assert here.filter(status=ConcernStatus.ACKNOWLEDGED).exists()
        assert here.filter(status=ConcernStatus.CLOSED, addenda__isnull=False).exists()
        assert Action.objects.filter(concern__in=here, done_on__isnull=True).exists()
        assert Decision.objects.filter(concern__in=here).exists()
        assert BodyMark.objects.filter(concern__in=here).exists()
        assert Referral.objects.filter(concern__in=here, responses__isnull=True).exists()
    assert HomeVisit.objects.filter(visited_on__isnull=False).count() == 1
    assert (
        HomeVisit.objects.filter(visited_on__isnull=True, dsl_agreed_at__isnull=False).count() == 1
    )
    done = VirtualSession.objects.filter(checklist__isnull=False).distinct()
    assert done.count() == 2
    assert VirtualSession.objects.filter(starts_at__gt=WEDNESDAY).exists()
    assert SessionFamilyAgreement.objects.count() >= 7
    assert PupilLeaving.objects.filter(pupil__on_roll=False).count() == 1
    # The other rooms' work is there too.
    assert Breach.objects.filter(school=loaded, closed_at__isnull=True).exists()
    assert SubjectAccessRequest.objects.filter(school=loaded, status=RequestStatus.OPEN).exists()
    assert SupportRequest.objects.filter(school=loaded).exists()
    assert DeviceLoan.objects.filter(returned_on__isnull=True).exists()
    assert MonitoringActivity.objects.filter(school=loaded).exists()


def _open_flag_kinds() -> set[str]:
    return set(Flag.objects.filter(resolved_at__isnull=True).values_list("kind", flat=True))


def test_flags_of_every_kind_are_open(loaded):
    assert _open_flag_kinds() == set(FlagKind.values)
    assert ActionFlag.objects.filter(resolved_at__isnull=True).exists()
    assert ReferralFlag.objects.filter(resolved_at__isnull=True).exists()
    assert TransferFlag.objects.filter(resolved_at__isnull=True).exists()


def test_loaded_on_a_monday_before_school_the_work_is_there_too(db):
    _load_at(MONDAY_EARLY)
    assert _open_flag_kinds() == set(FlagKind.values)
    for login in ("dsl.north", "dsl.south"):
        with time_machine.travel(MONDAY_EARLY, tick=False):
            first = dashboard_for(_login(login)).concerns[0]
        assert (first.urgency, first.status) == (Urgency.IMMEDIATE, ConcernStatus.RAISED)
    assert not ContactLog.objects.filter(contact_date=MONDAY_EARLY.date()).exists()
    _assert_dates_consistent(MONDAY_EARLY)


def _assert_dates_consistent(moment: datetime.datetime) -> None:
    day = moment.date()
    four_weeks = day - datetime.timedelta(weeks=6)
    for case in Case.objects.prefetch_related("agreements", "status_changes"):
        assert four_weeks <= case.proposed_on <= day, case.pk
        assert timezone.localdate(case.created_at) == case.proposed_on, case.pk
        for agreement in case.agreements.all():
            assert case.proposed_on <= agreement.agreed_on <= day, case.pk
            assert agreement.recorded_at >= case.created_at
        for change in case.status_changes.all():
            assert case.created_at <= change.changed_at <= moment, case.pk
        if case.closed_at:
            assert case.start_date <= case.actual_return_date <= day
    for contact in ContactLog.objects.select_related("case"):
        assert contact.case.start_date <= contact.contact_date <= day
        assert contact.contacted_at <= contact.recorded_at <= moment
        assert contact.late_reason == ""
    for provision in Provision.objects.select_related("case"):
        assert provision.case.start_date <= provision.date <= day
        assert provision.case.actual_return_date is None or (
            provision.date <= provision.case.actual_return_date
        )
    for concern in Concern.objects.all():
        assert concern.happened_at <= concern.raised_at <= moment
        if concern.acknowledged_at:
            assert concern.raised_at <= concern.acknowledged_at <= moment
        if concern.closed_at:
            assert concern.acknowledged_at <= concern.closed_at <= moment
        for addendum in concern.addenda.all():
            assert concern.closed_at <= addendum.added_at <= moment
        for action in concern.actions.all():
            assert concern.raised_at <= action.recorded_at
            assert action.done_on is None or action.done_on <= day
        for referral in concern.referrals.all():
            assert timezone.localdate(concern.raised_at) <= referral.referred_on <= day
        for mark in concern.body_marks.all():
            assert mark.seen_at <= concern.acknowledged_at
    for visit in HomeVisit.objects.select_related("case"):
        assert visit.requested_at <= visit.dsl_agreed_at <= moment
        if visit.visited_on:
            assert visit.case.start_date <= visit.visited_on <= day
    for session in VirtualSession.objects.prefetch_related("checklist"):
        assert session.planned_at <= session.starts_at
        for entry in session.checklist.all():
            assert session.starts_at <= entry.recorded_at <= moment
    for leaving in PupilLeaving.objects.all():
        assert leaving.left_on <= day
    for sar in SubjectAccessRequest.objects.all():
        assert sar.received_on <= day
        assert sar.answered_at is None or sar.answered_at <= moment


def test_dates_are_consistent_and_nothing_past_is_in_the_future(loaded):
    _assert_dates_consistent(WEDNESDAY)


def test_the_demo_emails_only_demo_addresses(loaded):
    queued = 0
    for model in outboxes():
        for message in model.objects.all():
            recipients = message.email_recipients()
            queued += 1
            assert all(address.endswith(".example") for address in recipients), model
    assert queued > 0
