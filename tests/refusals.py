"""Checking a gate's refusal: the right status, and exactly one DENIED row in the audit."""

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dataprotection.models import AccessAction, AccessEvent


def refused(status: int, gate: Callable[..., object], *args: object, **kwargs: object):
    """Call ``gate``, expect a 404 or a 403, and return the one denial it wrote."""
    before = list(
        AccessEvent.objects.filter(action=AccessAction.DENIED).values_list("pk", flat=True)
    )
    with pytest.raises(Http404 if status == 404 else PermissionDenied):
        gate(*args, **kwargs)
    written = AccessEvent.objects.filter(action=AccessAction.DENIED).exclude(pk__in=before)
    assert written.count() == 1
    return written.get()
