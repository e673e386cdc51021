import datetime
import hashlib
import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from accounts.models import User
from dataprotection.models import AccessAction, AccessEvent
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
