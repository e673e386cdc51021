"""The background side of the printable chronology: drawn once however often the task comes,
a failure kept plain, expired prints swept away, and the release audited."""

import datetime
import logging

from django.urls import reverse
from django.utils import timezone

from dataprotection.models import AccessAction, AccessEvent
from safeguarding.chronology import services
from safeguarding.chronology.services import chronology_print_render, chronology_prints_sweep
from safeguarding.models import ChronologyPrint, PrintStatus
from tests.conftest import client_for
from tests.safeguarding.chronology.helpers import concern_about, print_for, ready_print_for


def test_a_print_delivered_twice_is_drawn_once(world):
    concern_about(world, "Said they had not eaten since yesterday.")
    printed = print_for(world)

    first = chronology_print_render(print_id=printed.pk)
    second = chronology_print_render(print_id=printed.pk)

    assert first.status == PrintStatus.READY and bytes(first.content).startswith(b"%PDF")
    assert second is None


def test_a_print_that_fails_says_so_plainly_and_logs_nothing_about_the_child(
    world, monkeypatch, caplog
):
    private = "Private words about the child"
    concern_about(world, private)
    printed = print_for(world)

    def broken(*args, **kwargs):
        raise RuntimeError(private)  # as if the error quoted the record

    monkeypatch.setattr(services, "render_pdf", broken)
    with caplog.at_level(logging.ERROR):
        failed = chronology_print_render(print_id=printed.pk)

    assert failed.status == PrintStatus.FAILED and failed.content is None
    assert failed.error_message == services.FAILED_MESSAGE
    assert "Private words" not in caplog.text and "RuntimeError" in caplog.text


def test_the_sweep_deletes_expired_prints_and_stops_those_left_running(world):
    now = timezone.now()
    expired = ready_print_for(world, expires_at=now - datetime.timedelta(minutes=1))
    kept = ready_print_for(world)
    stuck = print_for(
        world, status=PrintStatus.RUNNING, started_at=now - datetime.timedelta(hours=2)
    )

    counts = chronology_prints_sweep(now=now)

    assert counts["deleted"] == 1 and counts["stopped"] == 1
    assert not ChronologyPrint.objects.filter(pk=expired.pk).exists()
    assert ChronologyPrint.objects.filter(pk=kept.pk).exists()
    stuck.refresh_from_db()
    assert stuck.status == PrintStatus.FAILED
    assert chronology_prints_sweep(now=now) == {"deleted": 0, "stopped": 0, "sent_again": 0}


def test_releasing_a_print_for_sharing_is_recorded_in_the_audit(world):
    printed = ready_print_for(world, for_sharing=True)

    client_for(world.users["dsl"]).post(
        reverse("safeguarding:chronology_print_confirm", args=[printed.pk]), {"revision": 1}
    )

    event = AccessEvent.objects.get(action=AccessAction.CHANGE, pupil_id=world.pupil.pk)
    assert event.user_id == world.users["dsl"].pk
    assert event.subject_id == str(printed.pk)
    assert "released for sharing" in event.detail


def test_who_recorded_an_entry_is_replaced_in_the_sharing_version_even_after_leaving(world):
    from tests.factories import UserFactory

    former = UserFactory(full_name="Morgan Vale")  # no membership now: left the school
    concern = concern_about(world, "Nothing to add")
    concern.raised_by = former
    concern.save()
    printed = print_for(world, for_sharing=True)

    made = services.chronology_print_context(printed, now=timezone.now())

    assert [e.by for e in made["context"]["entries"]] == ["a member of staff"]
    assert {"name": "Morgan Vale", "role": "a member of staff", "count": 1} in made["redactions"]
