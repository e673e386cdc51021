"""The DSL clicks the front outline on a physical concern's page and records a bruise, on a
phone and on a desktop screen: the point and region are filled in by the click, the mark is
listed beside the outline, and nothing is refused by the page's content security policy."""

import datetime

import pytest
from django.utils import timezone

from safeguarding.models import BodyMark
from tests.browser import ARTIFACTS
from tests.cases.test_case_journey_browser import fits_the_screen, sign_in
from tests.safeguarding.body_map.helpers import physical_concern_for
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_dsl_clicks_the_outline_and_records_a_mark(chromium, live_server, width):
    world = build_world()
    concern = physical_concern_for(world)
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
    )
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    try:
        sign_in(page, world.users["dsl"])
        page.goto(concern.get_absolute_url())
        front = page.get_by_role("img", name="Body outline, front view")
        front.scroll_into_view_if_needed()
        box = front.bounding_box()
        # 72 across and 44 down the front view: the child's left forearm.
        front.click(position={"x": box["width"] * 0.72, "y": box["height"] * 0.44})
        status = page.locator("#body-map-status")
        assert "left forearm" in status.inner_text()
        assert page.get_by_label("Where on the body").input_value() == "left_forearm"

        page.get_by_label("Kind of mark").select_option("bruise")
        page.get_by_label("Size").fill("about 2 cm")
        page.get_by_label("Colour").fill("blue")
        page.get_by_label("The child's explanation").fill("I bumped it on the <door>.")
        page.get_by_label("Who saw it").fill("Class teacher, on the video call")
        seen = timezone.localtime() - datetime.timedelta(hours=1)
        page.get_by_label("When it was seen").fill(seen.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name="Record the mark").click()
        page.locator("#body-map-marks tbody tr th", has_text="1").wait_for()

        row = page.locator("#body-map-marks tbody tr").first
        assert "left forearm" in row.inner_text()
        assert "I bumped it on the <door>." in row.inner_text()
        assert page.locator("svg[data-view=front] .body-map-mark").count() == 1
        if width < 600:
            assert fits_the_screen(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"safeguarding_body_map_{width}.png"), full_page=True)
        assert not console_errors
    finally:
        context.close()

    mark = BodyMark.objects.get()
    assert (mark.view, mark.region_name, mark.kind) == ("front", "left forearm", "bruise")
    assert abs(mark.x - 72) < 2 and abs(mark.y - 44) < 2
