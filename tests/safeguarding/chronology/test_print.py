"""The printable chronology: asked for on a page, made in the background, downloaded with an
audit; the "for sharing" version replaces other people's names and is released only once the
DSL has confirmed what was replaced."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent
from remote_learning.celery import app as celery_app
from safeguarding.chronology.permissions import access_chronology_print
from safeguarding.models import Addendum, ChronologyPrint, PrintStatus
from tests.conftest import client_for
from tests.gate_checks import actor, refused
from tests.pdf import pdf_text
from tests.safeguarding.chronology.helpers import (
    category,
    concern_about,
    print_for,
    ready_print_for,
)
from tests.safeguarding.chronology.test_redaction import sibling_of

NOW = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def december():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def eager():
    """Celery runs tasks in the caller, as soon as the transaction commits."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def new_url(world) -> str:
    return reverse("safeguarding:chronology_print_new", args=[world.pupil.pk])


def asked(**extra: object) -> dict:
    data = {"start": "01/11/2026", "end": "04/12/2026", "version": "full"}
    data.update(extra)
    return data


def made(world, client, data, django_capture_on_commit_callbacks) -> ChronologyPrint:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(new_url(world), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    printed = ChronologyPrint.objects.latest("pk")
    assert response["Location"] == reverse(
        "safeguarding:chronology_print_detail", args=[printed.pk]
    )
    return printed


def downloaded_text(client, printed) -> str:
    response = client.get(reverse("safeguarding:chronology_print_download", args=[printed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return " ".join(pdf_text(response.content).split())


def test_the_dsl_prints_the_chronology_in_the_background_and_each_download_is_audited(
    world, eager, django_capture_on_commit_callbacks
):
    concern_about(world, "Said they had not eaten since yesterday.")
    client = client_for(world.users["dsl"])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(new_url(world), asked())
    printed = ChronologyPrint.objects.get()
    assert printed.status == PrintStatus.QUEUED
    waiting = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in waiting

    for callback in callbacks:  # the commit sends the task; Celery runs it at once
        callback()
    printed.refresh_from_db()
    assert printed.status == PrintStatus.READY
    page = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in page
    download_url = reverse("safeguarding:chronology_print_download", args=[printed.pk])
    assert download_url in page

    text = downloaded_text(client, printed)
    assert "Safeguarding chronology" in text and "Ellis Marsh" in text
    assert "Said they had not eaten since yesterday." in text
    downloaded_text(client, printed)
    events = AccessEvent.objects.filter(action=AccessAction.PRINT, pupil_id=world.pupil.pk)
    assert events.count() == 2
    assert events.first().user_id == world.users["dsl"].pk


def test_only_the_chosen_period_is_printed(world, eager, django_capture_on_commit_callbacks):
    def at(month: int, day: int, hour: int) -> datetime.datetime:
        return datetime.datetime(2026, month, day, hour, 0, tzinfo=datetime.UTC)  # GMT: London

    concern_about(world, "Before the period", raised_at=at(10, 31, 23))
    concern_about(world, "Inside the period", raised_at=at(11, 1, 9))
    concern_about(world, "After the period", raised_at=at(11, 16, 9))
    client = client_for(world.users["dsl"])

    printed = made(world, client, asked(end="15/11/2026"), django_capture_on_commit_callbacks)

    text = downloaded_text(client, printed)
    assert "Inside the period" in text
    assert "Before the period" not in text and "After the period" not in text
    assert "01/11/2026 to 15/11/2026" in text


def test_only_the_chosen_categories_and_kinds_of_entry_are_printed(
    world, eager, django_capture_on_commit_callbacks
):
    neglect = concern_about(world, "A neglect concern", index=0)
    concern_about(world, "A concern of another category", index=1)
    Addendum.objects.create(concern=neglect, text="An addendum on it", added_by=world.users["dsl"])
    client = client_for(world.users["dsl"])

    by_category = made(
        world, client, asked(categories=[category(world, 0).pk]), django_capture_on_commit_callbacks
    )
    only_addenda = made(
        world, client, asked(kinds=["addendum"]), django_capture_on_commit_callbacks
    )

    text = downloaded_text(client, by_category)
    assert "A neglect concern" in text and "An addendum on it" in text
    assert "A concern of another category" not in text
    text = downloaded_text(client, only_addenda)
    assert "An addendum on it" in text
    assert "A neglect concern" not in text and "A concern of another category" not in text


def test_a_siblings_name_never_appears_in_the_for_sharing_pdf_and_the_dsl_confirms_first(
    world, eager, django_capture_on_commit_callbacks
):
    sibling_of(world)
    concern_about(world, "Sam Marsh said their mum Dana Marsh shouts. SAM was crying; ask Jude.")
    client = client_for(world.users["dsl"])

    printed = made(world, client, asked(version="sharing"), django_capture_on_commit_callbacks)
    printed.refresh_from_db()
    assert printed.status == PrintStatus.READY and printed.confirmed_at is None

    # Not released yet: no PDF, only the list of what will be replaced.
    download_url = reverse("safeguarding:chronology_print_download", args=[printed.pk])
    assert client.get(download_url).status_code == 302
    assert not AccessEvent.objects.filter(action=AccessAction.PRINT).exists()
    page = client.get(reverse("safeguarding:chronology_print_detail", args=[printed.pk]))
    listed = page.content.decode()
    assert "Sam Marsh" in listed and "sibling" in listed and download_url not in listed
    rows = {(r["name"], r["role"], r["count"]) for r in printed.redactions}
    assert {("Sam Marsh", "sibling", 1), ("Sam", "sibling", 1)} <= rows
    assert ("Dana Marsh", "a parent or carer", 1) in rows
    assert ("Jude", "another pupil", 1) in rows

    # The DSL adds a word of their own: the PDF is made again with it.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("safeguarding:chronology_print_words", args=[printed.pk]),
            {"extra_words": "crying"},
        )
    printed.refresh_from_db()
    assert printed.extra_words == ["crying"] and printed.revision == 2
    assert ("crying", "[redacted]", 1) in {
        (r["name"], r["role"], r["count"]) for r in printed.redactions
    }

    response = client.post(
        reverse("safeguarding:chronology_print_confirm", args=[printed.pk]), {"revision": 2}
    )
    assert response.status_code == 302
    printed.refresh_from_db()
    assert printed.confirmed_by == world.users["dsl"] and printed.confirmed_at == NOW

    text = downloaded_text(client, printed)
    assert "sam" not in text.casefold()
    assert "Dana" not in text and "Jude" not in text and "crying" not in text
    assert "sibling said their mum a parent or carer shouts. sibling was [redacted]" in text
    assert "Ellis Marsh" in text  # the pupil's own file keeps their name


def test_a_stale_confirmation_is_refused_and_releases_nothing(world):
    printed = ready_print_for(world, for_sharing=True, revision=3)
    client = client_for(world.users["dsl"])

    response = client.post(
        reverse("safeguarding:chronology_print_confirm", args=[printed.pk]), {"revision": 2}
    )

    assert response.status_code == 200
    assert "The list changed" in response.content.decode()
    printed.refresh_from_db()
    assert printed.confirmed_at is None


def test_safeguarding_text_is_escaped_on_the_page_and_reaches_the_pdf_as_text(
    world, eager, django_capture_on_commit_callbacks
):
    concern_about(world, "<script>alert(1)</script> Tom & Jerry")
    client = client_for(world.users["dsl"])

    page = client.get(reverse("safeguarding:pupil_chronology", args=[world.pupil.pk]))
    html = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry" in html
    assert "<script>alert(1)" not in html
    assert reverse("safeguarding:chronology_print_new", args=[world.pupil.pk]) in html

    for version in ("full", "sharing"):
        printed = made(world, client, asked(version=version), django_capture_on_commit_callbacks)
        if version == "sharing":
            client.post(
                reverse("safeguarding:chronology_print_confirm", args=[printed.pk]),
                {"revision": 1},
            )
        assert "<script>alert(1)</script> Tom & Jerry" in downloaded_text(client, printed)


def test_bad_input_is_refused_at_the_field_and_nothing_is_written(world):
    client = client_for(world.users["dsl"])

    response = client.post(
        new_url(world),
        asked(start="15/11/2026", end="01/11/2026", categories=["999999"], kinds=["nonsense"]),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["end"] == ["The last day must be on or after the first day."]
    assert "categories" in form.errors and "kinds" in form.errors
    assert not ChronologyPrint.objects.exists()
    response = client.post(new_url(world), asked(start="05/12/2026", end="06/12/2026"))
    assert "cannot start in the future" in response.context["form"].errors["start"][0]


def test_the_request_page_costs_the_same_queries_for_one_earlier_print_or_many(world):
    client = client_for(world.users["dsl"])
    print_for(world)
    client.get(new_url(world))  # the first request of a session loads what later ones reuse
    with CaptureQueriesContext(connection) as one:
        assert client.get(new_url(world)).status_code == 200
    for by in ("dsl", "headteacher", "dsl", "headteacher"):
        ready_print_for(world, requested_by=world.users[by], for_sharing=True)
    with CaptureQueriesContext(connection) as many:
        page = client.get(new_url(world)).content.decode()
    assert page.count("chronology-print-row") == 5
    assert len(many) == len(one)


def test_the_gates_refuse_those_who_may_not_know_and_the_headteacher_may_not_release(world):
    printed = ready_print_for(world, for_sharing=True)

    assert access_chronology_print(actor(world, "dsl"), printed.pk, to="act") == printed
    assert access_chronology_print(actor(world, "headteacher"), printed.pk) == printed
    refused(404, access_chronology_print, actor(world, "teacher"), printed.pk)
    refused(404, access_chronology_print, actor(world, "deputy_dsl_other_site"), printed.pk)
    refused(404, access_chronology_print, actor(world, "dsl"), printed.pk + 1000)
    denial = refused(
        403, access_chronology_print, actor(world, "headteacher"), printed.pk, to="act"
    )
    assert denial.pupil_id == world.pupil.pk
