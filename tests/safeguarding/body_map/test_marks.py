"""Recording marks on a physical concern's body map: where (worked out from the point, or chosen
from the list), what, who saw it and when; corrections are new marks; off the body, out of range
and on a closed concern are refused at the field with nothing written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from safeguarding.body_map import services
from safeguarding.models import BodyMark, ConcernCategory
from safeguarding.services import concern_categories_ensure, concern_close
from tests.factories import SchoolFactory
from tests.safeguarding.body_map.helpers import mark_on, physical_concern_for
from tests.safeguarding.matrix_concerns import concern_for


def refused_at(world, concern, field: str, **changes) -> str:
    with pytest.raises(ValidationError) as error:
        mark_on(world, concern, **changes)
    assert not BodyMark.objects.exists()
    return " ".join(error.value.message_dict[field])


# --- The physical categories ------------------------------------------------------------------


@pytest.mark.django_db
def test_physical_abuse_and_physical_harm_record_a_body_map_by_default():
    school = SchoolFactory()
    concern_categories_ensure(school=school)
    recording = set(
        ConcernCategory.objects.filter(school=school, records_body_map=True).values_list(
            "name", flat=True
        )
    )
    assert recording == {"Physical abuse", "Physical harm"}


# --- Where the mark is --------------------------------------------------------------------------


def test_a_clicked_point_is_stored_with_the_region_worked_out_from_it(world):
    concern = physical_concern_for(world)
    mark = mark_on(world, concern, x=28.43, y=44.04)
    assert (mark.view, mark.x, mark.y) == ("front", 28.4, 44.0)
    assert (mark.region, mark.region_name) == ("right_forearm", "right forearm")
    assert mark.recorded_by == world.users["dsl"]
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, subject_id=str(mark.pk), pupil_id=world.pupil.pk
    ).exists()


def test_a_region_chosen_from_the_list_places_the_mark_at_its_centre(world):
    concern = physical_concern_for(world)
    mark = mark_on(world, concern, view="back", region="left_forearm", x=None, y=None)
    assert mark.region_name == "left forearm"
    assert (mark.x, mark.y) == (29.5, 43.2)


def test_a_point_outside_the_outline_is_refused_at_the_field(world):
    message = refused_at(world, physical_concern_for(world), "x", x=5, y=5)
    assert "outside the body outline" in message


@pytest.mark.parametrize(("x", "y", "field"), [(-1, 40, "x"), (101, 40, "x"), (50, 100.5, "y")])
def test_a_point_out_of_range_is_refused_at_its_field(world, x, y, field):
    message = refused_at(world, physical_concern_for(world), field, x=x, y=y)
    assert "0 to 100" in message


def test_half_a_point_is_refused(world):
    assert "both" in refused_at(world, physical_concern_for(world), "y", y=None)


def test_no_point_and_no_region_is_refused_at_the_region(world):
    refused_at(world, physical_concern_for(world), "region", x=None, y=None, region="")


def test_a_point_and_a_region_that_disagree_are_refused_at_the_region(world):
    message = refused_at(world, physical_concern_for(world), "region", region="left_foot")
    assert "right forearm" in message


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("view", {"view": "side"}),
        ("region", {"region": "tail", "x": None, "y": None}),
        ("kind", {"kind": "graze"}),
        ("size", {"size": "  "}),
        ("seen_by", {"seen_by": ""}),
        ("seen_at", {"seen_at": None}),
        ("seen_at", {"seen_at": timezone.now() + datetime.timedelta(days=1)}),
    ],
)
def test_what_a_mark_must_say_is_refused_at_its_field(world, field, changes):
    refused_at(world, physical_concern_for(world), field, **changes)


# --- Which concerns --------------------------------------------------------------------------


def test_a_concern_whose_category_records_no_body_map_takes_no_marks(world):
    with pytest.raises(ValidationError, match="body map"):
        mark_on(world, concern_for(world))
    assert not BodyMark.objects.exists()


def test_a_closed_concern_takes_no_new_marks(world):
    concern = physical_concern_for(world)
    concern_close(
        actor=Actor.for_user(world.users["dsl"]),
        concern=concern,
        outcome="No further action",
        reason="Explained by a fall at the park, seen by the GP.",
    )
    with pytest.raises(ValidationError, match="closed"):
        mark_on(world, concern)
    assert not BodyMark.objects.exists()


# --- Corrections are new marks -------------------------------------------------------------


def test_a_correction_is_a_new_mark_that_supersedes_the_old_one_with_a_reason(world):
    concern = physical_concern_for(world)
    first = mark_on(world, concern)
    correction = mark_on(
        world,
        concern,
        x=72,
        supersedes=first.pk,
        correction_reason="It was the other arm: checked with the teacher.",
    )
    first.refresh_from_db()
    assert first.size == "about 2 cm" and first.region_name == "right forearm"  # kept as it was
    assert correction.supersedes == first and correction.region_name == "left forearm"
    assert list(services.current_marks(concern)) == [correction]


def test_a_correction_needs_its_reason(world):
    concern = physical_concern_for(world)
    first = mark_on(world, concern)
    with pytest.raises(ValidationError) as error:
        mark_on(world, concern, supersedes=first.pk, correction_reason=" ")
    assert "correction_reason" in error.value.message_dict
    assert BodyMark.objects.count() == 1


def test_a_mark_is_corrected_once_and_only_on_its_own_concern(world):
    concern = physical_concern_for(world)
    first = mark_on(world, concern)
    mark_on(world, concern, supersedes=first.pk, correction_reason="Wrong arm.")
    with pytest.raises(ValidationError) as error:
        mark_on(world, concern, supersedes=first.pk, correction_reason="Again.")
    assert "supersedes" in error.value.message_dict
    other = physical_concern_for(world)
    with pytest.raises(ValidationError) as error:
        mark_on(world, other, supersedes=first.pk, correction_reason="Not this concern's.")
    assert "supersedes" in error.value.message_dict
    assert BodyMark.objects.count() == 2


def test_a_school_chooses_which_of_its_categories_record_a_body_map_on_its_categories_page(
    world,
):
    from django.urls import reverse

    from tests.conftest import client_for

    category = ConcernCategory.objects.create(school=world.school, name="Self-harm")
    url = reverse("setup:category_change", args=[world.school.pk, category.pk])
    client = client_for(world.users["dsl"])
    assert "records a body map" in client.get(url).content.decode().lower()
    client.post(
        url,
        {"name": "Self-harm", "active": "on", "records_body_map": "on", "reason": "Injuries."},
    )
    category.refresh_from_db()
    assert category.records_body_map


def test_the_reporter_corrects_only_their_own_marks(world):
    concern = physical_concern_for(world)
    dsls = mark_on(world, concern)
    reporter = Actor.for_user(world.users["teacher"])
    data = {
        "view": "front",
        "x": 72,
        "y": 44,
        "kind": "bruise",
        "size": "1 cm",
        "seen_by": "Me",
        "seen_at": timezone.now(),
        "correction_reason": "Not mine to correct.",
    }
    with pytest.raises(ValidationError) as error:
        services.body_mark_add(actor=reporter, concern=concern, supersedes=dsls.pk, **data)
    assert "supersedes" in error.value.message_dict
    own = services.body_mark_add(actor=reporter, concern=concern, **data)
    corrected = services.body_mark_add(actor=reporter, concern=concern, supersedes=own.pk, **data)
    assert corrected.supersedes == own
