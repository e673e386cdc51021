"""The whole transfer in a real browser at desktop width: the DSL prints a pupil's chronology
and downloads the PDF when it is ready, records the pupil as leaving, and sends the file,
which is sealed in the background (Celery runs eagerly here); the receiving DSL, in a fresh
browser with no account, opens the emailed link, gives the code and confirms receipt; back as
the sending DSL the transfer is gone from the dashboard and My tasks, and the record says when
it was received."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from remote_learning.celery import app as celery_app
from safeguarding.models import FileTransfer, PrintStatus, TransferFlag
from schools.calendar import today
from schools.models import Term
from schools.services import school_days_refresh
from tests.cases.test_case_journey_browser import fits_the_screen, sign_in
from tests.pdf import pdf_text
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def eager():
    """Celery runs tasks in the caller, as soon as the transaction commits."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"transfer_{name}.png"), full_page=True)


def test_the_dsl_prints_the_chronology_then_transfers_the_file_and_sees_it_received(
    chromium, live_server, eager, mailoutbox
):
    world = build_world()
    Term.objects.create(
        school=world.school,
        name="This term",
        first_day=today() - dt.timedelta(days=60),
        last_day=today() + dt.timedelta(days=60),
    )
    school_days_refresh(school=world.school)
    pupil = world.pupil
    sending = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport=DESKTOP, accept_downloads=True
    )
    page = sending.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        sign_in(page, world.users["dsl"])

        # The chronology, printed and downloaded once the worker has drawn it.
        page.goto(reverse("safeguarding:pupil_chronology", args=[pupil.pk]))
        page.get_by_role("heading", name=f"Safeguarding chronology: {pupil}").wait_for()
        page.get_by_role("link", name="Print chronology").click()
        page.get_by_label("First day").fill((today() - dt.timedelta(days=30)).strftime("%d/%m/%Y"))
        page.get_by_label("Last day").fill(today().strftime("%d/%m/%Y"))
        page.get_by_role("button", name="Make the PDF").click()
        page.get_by_role("link", name="Download the PDF").wait_for(timeout=30_000)
        shot(page, "1_chronology_print")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the PDF").click()
        assert pupil.last_name in pdf_text(Path(download.value.path()).read_bytes())

        # The leaving, from the chronology.
        page.goto(reverse("safeguarding:pupil_chronology", args=[pupil.pk]))
        page.get_by_role("link", name="Leaving and file transfer").click()
        page.get_by_role("link", name="Record that they are leaving").click()
        page.get_by_label("Last day at this school").fill(today().strftime("%d/%m/%Y"))
        page.get_by_label("New school", exact=True).fill("Larchfield Academy")
        page.get_by_label("New school's URN").fill("1234567")
        page.get_by_label("New school's DSL", exact=True).fill("Morgan Hale")
        page.get_by_label("New school's DSL email").fill("dsl@larchfield.example")
        shot(page, "2_leaving")
        page.get_by_role("button", name="Record the leaving").click()
        page.get_by_role("button", name="Seal and send the file").wait_for()
        shot(page, "3_transfer_to_send")
        page.goto(reverse("safeguarding:dashboard"))
        files = page.locator("#transfers-heading + p + ul")
        assert pupil.last_name in files.inner_text() and "due " in files.inner_text()
        shot(page, "3b_dashboard_with_the_file")
        page.goto(reverse("safeguarding:pupil_transfer", args=[pupil.pk]))

        # Sending: the code is shown once; the link goes by email once the file is sealed.
        page.get_by_role("button", name="Seal and send the file").click()
        code = page.locator("#transfer-code .font-monospace").inner_text().strip()
        assert re.fullmatch(r"[A-Z2-9]{8}", code)
        transfer = FileTransfer.objects.get()
        assert transfer.status == PrintStatus.READY
        page.locator("#files-sent").get_by_text(transfer.digest).wait_for()
        shot(page, "4_sent_with_code")
        [email] = [m for m in mail.outbox if m.to == ["dsl@larchfield.example"]]
        link = re.search(r"https?://\S+/file-transfer/[^/\s]+/", email.body).group(0)
        assert code not in email.body and pupil.last_name not in email.body
        path = "/file-transfer/" + link.rstrip("/").rsplit("/", 1)[-1] + "/"

        # The receiving DSL: a fresh browser, no account.
        receiving = chromium.new_context(
            base_url=live_server.url, locale="en-GB", viewport=DESKTOP, accept_downloads=True
        )
        other = receiving.new_page()
        try:
            other.goto(path)
            other.get_by_label("Code").fill(code)
            shot(other, "5_receiving_code")
            other.get_by_role("button", name="Open the file").click()
            with other.expect_download() as bundle:
                other.get_by_role("link", name="Download").first.click()
            assert bundle.value.suggested_filename.endswith(".zip")
            other.get_by_label("Your name").fill("Morgan Hale")
            other.get_by_label("Your role").fill("Designated safeguarding lead")
            other.get_by_role("button", name="Confirm receipt").click()
            other.get_by_role("heading", name="File received").wait_for()
            shot(other, "6_received")
            # The link worked once.
            assert other.goto(path).status == 410
        finally:
            receiving.close()

        # Back at the sending school: the task is gone and the record says when.
        assert TransferFlag.objects.get().resolved_at is not None
        page.goto(reverse("safeguarding:dashboard"))
        page.get_by_text("No leaver's file waiting to be transferred.").wait_for()
        shot(page, "7_dashboard")
        page.goto(reverse("my_tasks:my_tasks"))
        page.get_by_text("No child-protection file is waiting for you to transfer it.").wait_for()
        page.goto(reverse("safeguarding:pupil_transfer", args=[pupil.pk]))
        row = page.locator(".transfer-row").first
        assert "by Morgan Hale, Designated safeguarding lead" in row.inner_text()
        assert "Done: " in page.locator("#transfer-flag").inner_text()
        shot(page, "8_transfer_record")
        assert fits_the_screen(page)
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "9_transfer_record_phone")
        assert fits_the_screen(page)
        assert errors == []
    finally:
        sending.close()
