"""Checks for the access_<thing> gates: a refusal raises the right error and writes exactly
one DENIED row to the access audit."""

from collections.abc import Callable
from typing import Literal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent


def actor(world, persona: str) -> Actor:
    return Actor.for_user(world.users[persona])


def refused(call: Callable[[], object], *, status: Literal[403, 404] = 404) -> AccessEvent:
    """Run the gate, expect it to refuse with ``status``, and return its one DENIED row."""
    before = set(
        AccessEvent.objects.filter(action=AccessAction.DENIED).values_list("pk", flat=True)
    )
    with pytest.raises(PermissionDenied if status == 403 else Http404):
        call()
    rows = list(AccessEvent.objects.filter(action=AccessAction.DENIED).exclude(pk__in=before))
    assert len(rows) == 1, f"{len(rows)} DENIED rows written, not 1"
    return rows[0]
