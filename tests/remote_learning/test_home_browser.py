"""On a phone, a DSL goes from their home page to the immediate concern waiting for them in one
tap."""

import pytest
from django.conf import settings
from django.test import Client

from safeguarding.models import Urgency
from tests.safeguarding.dashboard.test_dashboard import concern
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_by_session(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_dsl_taps_once_from_home_to_the_waiting_immediate_concern(phone_page, live_server):
    world = build_world()
    concern(world, world.pupil, urgency=Urgency.ROUTINE, hours=6)
    immediate = concern(world, world.pupil, urgency=Urgency.IMMEDIATE, hours=1)
    sign_in_by_session(phone_page, live_server, world.users["dsl"])

    phone_page.goto("/")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    waiting = phone_page.locator("#sg-heading ~ ul.list-group a").first
    assert "Immediate" in waiting.inner_text()
    waiting.tap()
    phone_page.wait_for_url(f"**/safeguarding/concerns/{immediate.pk}/")
    assert phone_page.get_by_role("heading", level=1).is_visible()
