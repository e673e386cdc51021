"""The receiving school's DSL, in a real browser on a phone and without signing in, opens the
emailed link, gives the code they were told by phone, downloads the file and confirms
receipt; the sending school's transfer task then clears. A browser posts these forms with its
own Origin header, which the test client does not: this is where a form that Django's CSRF
check refuses would show."""

import pytest

from safeguarding.models import TransferFlag
from tests.cases.test_case_journey_browser import fits_the_screen
from tests.safeguarding.transfers.helpers import autumn_term, sent_for
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_receiving_dsl_opens_the_file_with_the_code_and_confirms_receipt(chromium, live_server):
    world = build_world()
    autumn_term(world)
    transfer, token, code = sent_for(world)
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 390, "height": 900},
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
    )
    page = context.new_page()
    try:
        page.goto(f"/file-transfer/{token}/")
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Open the file").click()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download").first.click()
        assert download.value.suggested_filename.endswith(".zip")
        page.get_by_label("Your name").fill("Robin Quayle")
        page.get_by_label("Your role").fill("Designated safeguarding lead")
        page.get_by_role("button", name="Confirm receipt").click()
        page.get_by_role("heading", name="File received").wait_for()
        assert fits_the_screen(page)
    finally:
        context.close()

    flag = TransferFlag.objects.get(leaving=transfer.leaving)
    assert flag.resolved_at is not None
    transfer.refresh_from_db()
    assert transfer.received_by_name == "Robin Quayle"
