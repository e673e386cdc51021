"""MIS import in a real browser: the status page follows a background import through htmx
polling to its report, under the real CSP, with no console errors."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from schools.mis_import.runs import mis_import_start
from schools.tasks import mis_import_process_task
from tests.factories import SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLASSES = (django_settings.BASE_DIR / "samples" / "mis" / "classes.csv").read_bytes()


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_the_status_page_polls_until_the_report_is_ready(page, live_server, admin_user):
    school = SchoolFactory()
    # A dry run: an applied import writes the append-only audit, which a transactional
    # test's flush could not delete on SQLite.
    run = mis_import_start(school=school, kind="classes", data=CLASSES, background=True)
    sign_in(page, live_server, admin_user)

    page.goto(run.get_absolute_url())
    page.get_by_text("Waiting to start").wait_for()

    mis_import_process_task(run.pk)  # what the Celery worker would do

    page.get_by_text("No problems found.").wait_for(timeout=10_000)
    assert page.get_by_role("cell", name="Class: Acorn (Hillside)").is_visible()
    assert page.get_by_role("button", name="Import this file now").is_visible()
    assert page.console_errors == []
