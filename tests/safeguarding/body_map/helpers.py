"""A physical concern and its marks, for the body-map tests and matrix rows."""

import datetime

from django.utils import timezone

from core.actor import Actor
from safeguarding.body_map import services
from safeguarding.models import BodyMark, Concern, ConcernCategory, Urgency
from safeguarding.services import concern_categories_ensure
from tests.world import World


def physical_category(world: World) -> ConcernCategory:
    concern_categories_ensure(school=world.school)
    return ConcernCategory.objects.get(school=world.school, name="Physical abuse")


def physical_concern_for(world: World) -> Concern:
    return Concern.objects.create(
        pupil=world.pupil,
        category=physical_category(world),
        urgency=Urgency.HIGH,
        what_happened="A bruise on the arm, seen when the sleeve rode up on the call.",
        happened_at=timezone.now() - datetime.timedelta(hours=1),
        raised_by=world.users["teacher"],
    )


def mark_data(**changes) -> dict:
    data = {
        "view": "front",
        "region": "",
        "x": 28,
        "y": 44,
        "kind": "bruise",
        "size": "about 2 cm",
        "colour": "blue-purple",
        "childs_explanation": "I bumped it on the door.",
        "seen_by": "Class teacher on the video call",
        "seen_at": timezone.now() - datetime.timedelta(hours=1),
    }
    data.update(changes)
    return data


def mark_on(world: World, concern: Concern, **changes) -> BodyMark:
    return services.body_mark_add(
        actor=Actor.for_user(world.users["dsl"]), concern=concern, **mark_data(**changes)
    )
