"""Fixtures shared by every app's tests: people, signed-in clients and a clean cache."""

import datetime
import os
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from pytest_django.fixtures import validate_django_db

from tests.factories import UserFactory

TEST_PASSWORD = "Correct-Horse-Battery-9!"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TEST_TOTP_SECRET, at: float | None = None) -> str:
    """The code an authenticator app would show for ``secret`` at ``at`` (default: now)."""
    counter = int(time.time() if at is None else at) // 30
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Give each test run its own PostgreSQL test database, so that runs started side by side
    (a developer's and an editor's, say) never drop each other's database mid-run."""
    from django.conf import settings
    from pytest_django.fixtures import _set_suffix_to_test_databases

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        _set_suffix_to_test_databases(suffix=f"p{os.getpid()}")
        # Persistent connections would outlive the live server's threads and keep the test
        # database open when the run tries to drop it.
        settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs about a quarter of a second a password; tests make hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _device_declaration_gate_off(settings):
    # The gate holds staff at the declaration page once DEVICE_DECLARATION_GRACE_DAYS have
    # passed since their first page; tests that travel weeks ahead are about other things.
    # The declaration tests (tests/declarations) switch it back on.
    settings.DEVICE_DECLARATION_REQUIRED = False


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate limits and used TOTP codes live in the cache; no test may inherit another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user_without_mfa(db):
    return UserFactory(password=TEST_PASSWORD)


@pytest.fixture
def staff_user(db):
    user = UserFactory(password=TEST_PASSWORD)
    TOTP.activate(user, TEST_TOTP_SECRET)
    return user


@pytest.fixture
def admin_user(db):
    user = UserFactory(password=TEST_PASSWORD, is_staff=True, is_superuser=True)
    TOTP.activate(user, TEST_TOTP_SECRET)
    return user


@pytest.fixture
def signed_in_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


def has_mfa(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


pytest_plugins = ["tests.browser"]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Lets fixtures see whether the test failed (for screenshots of failing browser tests).
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def world(db):
    from tests.world import build_world

    return build_world()


@pytest.fixture
def world_with_carers(world):
    """The world, with carers' portal accounts for each of tests.world.CARER_PERSONAS."""
    from tests.world import add_carer_personas

    return add_carer_personas(world)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- Transactional tests and the append-only access audit -----------------------------------
# dataprotection's triggers refuse DELETE on dataprotection_accessevent outside a retention
# purge. After a transactional test (transaction=True, transactional_db, live_server) Django
# flushes every table: PostgreSQL TRUNCATEs (no row triggers fire), but SQLite runs
# DELETE FROM, which the trigger refuses, failing the test's teardown. Just before that flush,
# this opens a purge window, empties the audit and closes the window again, in one
# transaction: the same path as manage.py purge_access_events; nothing in production changes.
# Requesting transactional_db from here makes this fixture's teardown run before the flush
# (pytest tears fixtures down in the reverse order they were set up).
TRANSACTIONAL_DB_FIXTURES = frozenset({"transactional_db", "live_server"})
AFTER_EVERY_EVENT = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


def _uses_transactional_db(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        transaction_, reset_sequences, *_ = validate_django_db(marker)
        if transaction_ or reset_sequences:
            return True
    return bool(TRANSACTIONAL_DB_FIXTURES & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _empty_access_audit_before_flush(request: pytest.FixtureRequest):
    if not _uses_transactional_db(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from dataprotection.models import AccessEvent, RetentionPurge

    with transaction.atomic():
        window = RetentionPurge.objects.create(
            purge_before=AFTER_EVERY_EVENT, reason="test teardown: flush"
        )
        AccessEvent.objects.all().delete()
        window.delete()


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_folder(settings, tmp_path):
    # Attached documents are written to disk: each test keeps its own, never under var/.
    storages = dict(settings.STORAGES)
    storages["documents"] = {
        **storages["documents"],
        "OPTIONS": {**storages["documents"].get("OPTIONS", {}), "location": tmp_path / "documents"},
    }
    settings.STORAGES = storages


@pytest.fixture
def migrations_restored():
    """For a test that moves apps back to older migrations: afterwards, the whole schema is
    migrated forward again. Moving one app back also moves back every migration of other apps
    that depends on it, so migrating only that app forward would leave later tests without
    tables."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
