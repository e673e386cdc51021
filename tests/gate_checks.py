"""What every gate test checks about a refusal: the right answer and exactly one DENIED row."""

from collections.abc import Callable
from typing import Literal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent


def actor(world, persona: str) -> Actor:
    return Actor.for_user(world.users[persona])


def refused(status: Literal[403, 404], gate: Callable, *args, **kwargs) -> AccessEvent:
    """Call the gate, expect it to refuse with ``status``, and return the one denial it wrote."""
    before = set(
        AccessEvent.objects.filter(action=AccessAction.DENIED).values_list("pk", flat=True)
    )
    with pytest.raises(PermissionDenied if status == 403 else Http404):
        gate(*args, **kwargs)
    written = AccessEvent.objects.filter(action=AccessAction.DENIED).exclude(pk__in=before)
    assert written.count() == 1
    return written.get()
