"""A school with everything in place, so each test can take one thing away and see it listed."""

import datetime
from dataclasses import dataclass, field

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection

from schools.models import Role, SchoolDay
from tests.conftest import TEST_TOTP_SECRET
from tests.factories import (
    MembershipFactory,
    PupilFactory,
    SchoolClassFactory,
    SchoolFactory,
    SiteFactory,
    UserFactory,
)

# A Tuesday in term; the calendar below runs to the end of the week.
TODAY = datetime.date(2026, 3, 10)
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


@dataclass
class Ready:
    school: object
    site: object
    school_class: object
    pupil: object
    people: dict[str, object] = field(default_factory=dict)


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def production_settings(settings):
    """What a configured production server has: a real mail server and an https address."""
    settings.DEBUG = False
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "smtp.school.example"},
        }
    }
    settings.SITE_URL = "https://remote-learning.school.example"
    return settings


def person(ready: Ready, key: str, role: str, **scope: object) -> object:
    user = UserFactory(full_name=key.replace("_", " ").title())
    TOTP.activate(user, TEST_TOTP_SECRET)
    MembershipFactory(user=user, school=ready.school, role=role, **scope)
    ready.people[key] = user
    return user


@pytest.fixture
def ready(db, frozen_now, production_settings) -> Ready:
    school = SchoolFactory(name="Heathergate School")
    site = SiteFactory(school=school, name="North")
    school_class = SchoolClassFactory(site=site, name="Ash")
    pupil = PupilFactory(school_class=school_class, has_ehc_plan=True)
    built = Ready(school, site, school_class, pupil)
    person(built, "headteacher", Role.HEADTEACHER)
    person(built, "slt", Role.SLT, site=site)
    person(built, "teacher", Role.TEACHER, school_class=school_class)
    person(built, "dsl", Role.DSL, site=site)
    person(built, "deputy_dsl", Role.DEPUTY_DSL, site=site)
    person(built, "dpo", Role.DPO)
    person(built, "chair", Role.CHAIR_OF_GOVERNORS)
    SchoolDay.objects.bulk_create(
        SchoolDay(school=school, date=TODAY + datetime.timedelta(days=n)) for n in range(4)
    )
    return built


@pytest.fixture
def pupils_may_lack_ehc_plan_and_social_worker(db):
    """The database refuses a pupil with neither; the checklist still guards the rule in case
    a row ever gets past it, so these tests lift the constraint for their own transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = 1")
        else:
            # The fixtures' rows leave deferred foreign-key checks pending, and PostgreSQL will
            # not alter a table with pending trigger events: run them now, then defer again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE schools_pupil DROP CONSTRAINT schools_pupil_ehc_plan_or_social_worker"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = 0")
