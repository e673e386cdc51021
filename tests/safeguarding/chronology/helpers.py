"""Records and requests shared by the printable chronology's tests."""

import datetime

from django.utils import timezone

from safeguarding.models import ChronologyPrint, Concern, PrintStatus, Urgency
from safeguarding.services import concern_categories_ensure
from tests.world import World


def category(world: World, index: int = 0):
    return concern_categories_ensure(school=world.school)[index]


def concern_about(world: World, text: str, *, index: int = 0, raised_at=None) -> Concern:
    concern = Concern.objects.create(
        pupil=world.pupil,
        category=category(world, index),
        urgency=Urgency.ROUTINE,
        what_happened=text,
        happened_at=timezone.now() - datetime.timedelta(hours=2),
        raised_by=world.users["teacher"],
    )
    if raised_at is not None:
        Concern.objects.filter(pk=concern.pk).update(raised_at=raised_at)
        concern.refresh_from_db()
    return concern


def print_for(world: World, **extra: object) -> ChronologyPrint:
    today = timezone.localdate()
    fields = {
        "pupil": world.pupil,
        "requested_by": world.users["dsl"],
        "start": today - datetime.timedelta(days=30),
        "end": today,
        "expires_at": timezone.now() + datetime.timedelta(days=7),
    }
    fields.update(extra)
    return ChronologyPrint.objects.create(**fields)


def ready_print_for(world: World, **extra: object) -> ChronologyPrint:
    return print_for(world, status=PrintStatus.READY, content=b"%PDF-1.7 test", **extra)
