"""A teacher raises an immediate concern in Chromium; the site's DSL finds it at the top of the
dashboard and acknowledges it. The child's words are shown exactly as typed, never as HTML."""

import pytest

from safeguarding.models import Concern, ConcernStatus, Notification
from tests.browser import ARTIFACTS
from tests.cases.test_case_journey_browser import sign_in
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_immediate_concern_reaches_the_top_of_the_dsls_dashboard(page, chromium, live_server):
    world = build_world()
    ARTIFACTS.mkdir(exist_ok=True)

    sign_in(page, world.users["teacher"])
    page.goto(f"/safeguarding/concerns/new/?pupil={world.pupil.pk}")
    page.get_by_label("Category").select_option(index=1)
    page.get_by_label("Immediate", exact=False).check()
    page.get_by_label("What happened").fill("Said there was <b>no food</b> at home.")
    page.get_by_label("The child's own words").fill("There's nothing in the cupboard.")
    page.get_by_role("button", name="Send to the DSL team").click()
    page.get_by_role("heading", level=1).wait_for()
    assert "/receipt/" in page.url
    concern = Concern.objects.get()
    assert Notification.objects.filter(concern=concern).exists()

    dsl_context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    dsl = dsl_context.new_page()
    sign_in(dsl, world.users["dsl"])
    dsl.get_by_role("button", name="Safeguarding", exact=True).click()
    dsl.get_by_role("link", name="Dashboard", exact=True).click()
    first_row = dsl.locator("table tbody tr").first
    assert "Marsh" in first_row.inner_text()
    assert "Not yet acknowledged" in first_row.inner_text()
    first_row.get_by_role("link").first.click()
    dsl.get_by_role("button", name="Acknowledge").click()
    dsl.get_by_text("Acknowledged", exact=False).first.wait_for()
    # Typed HTML is shown as text.
    assert dsl.get_by_text("Said there was <b>no food</b> at home.").is_visible()
    dsl.screenshot(path=str(ARTIFACTS / "safeguarding_concern_dsl.png"), full_page=True)
    dsl_context.close()

    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ACKNOWLEDGED
