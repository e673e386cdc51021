"""The body map on the concern page: a plain front and back outline (an inline SVG image with a
title), each mark listed in a table beside it, a form that needs no mouse, and the marks in the
pupil's chronology. Typed text is shown as text."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dataprotection.models import AccessAction, AccessEvent
from safeguarding.body_map.services import body_mark_add
from safeguarding.models import BodyMark
from safeguarding.selectors import chronology_for
from safeguarding.services import concern_acknowledge, concern_close
from tests.conftest import client_for
from tests.gate_checks import actor
from tests.safeguarding.body_map.helpers import mark_data, mark_on, physical_concern_for
from tests.safeguarding.matrix_concerns import concern_for

SEEN_AT = (timezone.localtime() - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")


def add_url(concern) -> str:
    return reverse("safeguarding:body_mark_add", args=[concern.pk])


def posted(**changes) -> dict:
    data = {
        "mark-view": "front",
        "mark-region": "",
        "mark-x": "72",
        "mark-y": "44",
        "mark-kind": "bruise",
        "mark-size": "about 2 cm",
        "mark-colour": "yellow-green",
        "mark-childs_explanation": "I fell off my bike.",
        "mark-seen_by": "Class teacher, on the video call",
        "mark-seen_at": SEEN_AT,
        "mark-supersedes": "",
        "mark-correction_reason": "",
    }
    data.update({f"mark-{key}": value for key, value in changes.items()})
    return data


def page_of(world, concern) -> str:
    return client_for(world.users["dsl"]).get(concern.get_absolute_url()).content.decode()


# --- The page ----------------------------------------------------------------------------------


def test_a_physical_concern_shows_both_outlines_as_titled_images_and_a_table_of_marks(world):
    concern = physical_concern_for(world)
    mark_on(world, concern, childs_explanation="<b>I fell</b> off my bike.")
    page = page_of(world, concern)
    assert 'id="body-map"' in page
    assert page.count('role="img"') == 2
    assert '<title id="body-map-front-title">Body outline, front view</title>' in page
    assert '<title id="body-map-back-title">Body outline, back view</title>' in page
    assert 'aria-labelledby="body-map-front-title"' in page
    assert "<td>right forearm</td>" in page
    assert "&lt;b&gt;I fell&lt;/b&gt; off my bike." in page and "<b>I fell</b>" not in page
    # The form that needs no mouse: a view and a region from a list, each labelled.
    assert 'for="id_mark-view_0"' in page and 'for="id_mark-region"' in page
    assert '<option value="left_forearm">Left forearm</option>' in page
    assert "body_map.js" in page


def test_a_concern_of_another_category_has_no_body_map(world):
    assert 'id="body-map"' not in page_of(world, concern_for(world))


def test_the_concern_page_costs_the_same_with_one_mark_or_many(world):
    concern = physical_concern_for(world)
    mark_on(world, concern)
    client = client_for(world.users["dsl"])
    client.get(concern.get_absolute_url())  # the session and the school's settings, once
    with CaptureQueriesContext(connection) as one:
        client.get(concern.get_absolute_url())
    for x in (52, 55, 58):
        mark_on(world, concern, x=x, y=25, view="back")
    with CaptureQueriesContext(connection) as many:
        client.get(concern.get_absolute_url())
    assert len(many) == len(one)


def test_a_closed_concern_shows_its_marks_and_no_form(world):
    concern = physical_concern_for(world)
    mark_on(world, concern)
    concern_close(
        actor=actor(world, "dsl"), concern=concern, outcome="No further action", reason="A fall."
    )
    page = page_of(world, concern)
    assert "<td>right forearm</td>" in page
    assert 'action="' + add_url(concern) + '"' not in page


# --- Adding --------------------------------------------------------------------------------------


def test_the_dsl_adds_a_mark_from_the_page_and_it_is_audited(world):
    concern = physical_concern_for(world)
    response = client_for(world.users["dsl"]).post(add_url(concern), posted())
    assert response.status_code == 302
    assert response["Location"].endswith("#body-map")
    mark = BodyMark.objects.get()
    assert (mark.region_name, mark.kind, mark.recorded_by) == (
        "left forearm",
        "bruise",
        world.users["dsl"],
    )
    assert AccessEvent.objects.filter(action=AccessAction.CREATE, subject_id=str(mark.pk)).exists()


def test_a_mark_chosen_from_the_list_needs_no_point(world):
    concern = physical_concern_for(world)
    client_for(world.users["dsl"]).post(
        add_url(concern), posted(view="back", region="right_thigh", x="", y="")
    )
    assert BodyMark.objects.get().region_name == "back of right thigh"


def test_a_point_outside_the_outline_is_refused_at_the_field_on_the_page(world):
    concern = physical_concern_for(world)
    response = client_for(world.users["dsl"]).post(add_url(concern), posted(x="3", y="3"))
    assert response.status_code == 200
    assert "outside the body outline" in response.context["body_mark_form"].errors["x"][0]
    assert not BodyMark.objects.exists()


def test_a_point_out_of_range_is_refused_at_the_field_on_the_page(world):
    concern = physical_concern_for(world)
    response = client_for(world.users["dsl"]).post(add_url(concern), posted(y="140"))
    assert "0 to 100" in response.context["body_mark_form"].errors["y"][0]
    assert not BodyMark.objects.exists()


def test_a_correction_from_the_page_supersedes_the_mark_with_its_reason(world):
    concern = physical_concern_for(world)
    first = mark_on(world, concern)
    client_for(world.users["dsl"]).post(
        add_url(concern),
        posted(supersedes=str(first.pk), correction_reason="The other arm, on a second look."),
    )
    correction = BodyMark.objects.get(supersedes=first)
    page = page_of(world, concern)
    assert "The other arm, on a second look." in page
    assert "Corrected by mark 2" in page
    assert correction.region_name == "left forearm"


def test_a_closed_concern_refuses_a_posted_mark(world):
    concern = physical_concern_for(world)
    concern_close(
        actor=actor(world, "dsl"), concern=concern, outcome="No further action", reason="A fall."
    )
    response = client_for(world.users["dsl"]).post(add_url(concern), posted())
    assert response.status_code == 200
    assert "closed" in response.content.decode()
    assert not BodyMark.objects.exists()


# --- Gates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("class_staff", 404), ("slt_class", 404), ("deputy_dsl_other_site", 404)],
)
def test_who_may_not_add_marks_is_refused_with_one_denial_and_nothing_written(
    world, persona, status
):
    concern = physical_concern_for(world)
    before = AccessEvent.objects.filter(action=AccessAction.DENIED).count()
    response = client_for(world.users[persona]).post(add_url(concern), posted())
    assert response.status_code == status
    assert AccessEvent.objects.filter(action=AccessAction.DENIED).count() == before + 1
    assert not BodyMark.objects.exists()


def test_the_service_too_refuses_who_may_not_add_marks(world):
    concern = physical_concern_for(world)
    with pytest.raises(ValidationError, match="DSL team"):
        body_mark_add(actor=actor(world, "class_staff"), concern=concern, **mark_data())
    concern_acknowledge(actor=actor(world, "dsl"), concern=concern)
    with pytest.raises(ValidationError, match="DSL team"):
        body_mark_add(actor=actor(world, "teacher"), concern=concern, **mark_data())
    assert not BodyMark.objects.exists()


# --- The reporter, while raising ----------------------------------------------------------------


def test_the_reporter_places_what_they_saw_from_the_receipt_until_it_is_acknowledged(world):
    concern = physical_concern_for(world)
    mark_on(world, concern, childs_explanation="The DSL team's own mark.")
    reporter = client_for(world.users["teacher"])
    receipt = reverse("safeguarding:concern_receipt", args=[concern.pk])
    page = reporter.get(receipt).content.decode()
    assert page.count('role="img"') == 2 and 'id="body-mark-form"' in page
    assert "The DSL team's own mark." not in page  # the reporter sees only their own

    response = reporter.post(add_url(concern), posted())
    assert response.status_code == 302 and response["Location"] == receipt + "#body-map"
    assert BodyMark.objects.filter(recorded_by=world.users["teacher"]).count() == 1
    assert "<td>left forearm</td>" in reporter.get(receipt).content.decode()

    refused_post = reporter.post(add_url(concern), posted(x="3", y="3"))
    assert "outside the body outline" in refused_post.context["body_mark_form"].errors["x"][0]


def test_once_acknowledged_the_reporter_may_not_add_marks(world):
    concern = physical_concern_for(world)
    concern_acknowledge(actor=actor(world, "dsl"), concern=concern)
    reporter = client_for(world.users["teacher"])
    receipt = reverse("safeguarding:concern_receipt", args=[concern.pk])
    assert 'id="body-mark-form"' not in reporter.get(receipt).content.decode()
    before = AccessEvent.objects.filter(action=AccessAction.DENIED).count()
    assert reporter.post(add_url(concern), posted()).status_code == 403
    assert AccessEvent.objects.filter(action=AccessAction.DENIED).count() == before + 1
    assert not BodyMark.objects.exists()


# --- The chronology ----------------------------------------------------------------------------


def test_marks_appear_in_the_chronology_as_body_map_entries(world):
    concern = physical_concern_for(world)
    first = mark_on(world, concern, colour="<i>blue</i>")
    mark_on(world, concern, x=72, supersedes=first.pk, correction_reason="The other arm.")
    entries = [
        entry
        for entry in chronology_for(world.pupil, viewer=world.users["dsl"])
        if entry.kind == "body_map"
    ]
    assert [entry.title for entry in entries] == [
        "Body map: bruise on the right forearm (front)",
        "Body map: bruise on the left forearm (front), correcting mark 1",
    ]
    assert "about 2 cm" in entries[0].text and "I bumped it on the door." in entries[0].detail
    assert "The other arm." in entries[1].detail
    page = (
        client_for(world.users["dsl"])
        .get(reverse("safeguarding:pupil_chronology", args=[world.pupil.pk]))
        .content.decode()
    )
    assert "chronology-body_map" in page and "&lt;i&gt;blue&lt;/i&gt;" in page
