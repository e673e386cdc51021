"""Help a parent or carer asked for themselves (the carers' portal) is an IT request like any
other, named on IT's pages as the carer's, never as a member of staff's."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.actor import Actor
from itsupport.models import RequestKind, SupportRequest, System, Urgency
from itsupport.services import request_raise
from tests.conftest import client_for
from tests.factories import UserFactory


def raise_for(world, **extra) -> SupportRequest:
    values = {
        "kind": RequestKind.FAMILY_HELP,
        "system": System.DEVICE,
        "description": "The <i>laptop</i> will not charge.",
        "urgency": Urgency.NORMAL,
        "pupil": world.pupil,
        "carer": world.carer,
    } | extra
    return request_raise(
        actor=Actor.for_user(UserFactory(full_name="Dana Marsh")), school=world.school, **values
    )


def test_a_carers_request_reaches_it_staff_as_the_carers(world):
    request = raise_for(world)
    assert request.raised_by_carer == world.carer and request.site == world.north
    body = client_for(world.users["it_staff"]).get(reverse("itsupport:request_list")).content
    assert b"Dana Marsh (parent/carer)" in body
    detail = client_for(world.users["it_staff"]).get(
        reverse("itsupport:request_detail", args=[request.pk])
    )
    assert b"Raised by Dana Marsh (parent/carer)" in detail.content
    assert b"&lt;i&gt;laptop&lt;/i&gt;" in detail.content


def test_a_carer_asks_only_for_help_for_their_child(world):
    with pytest.raises(ValidationError):
        raise_for(world, pupil=None)
    with pytest.raises(ValidationError):
        raise_for(world, kind=RequestKind.ISSUE)
    assert not SupportRequest.objects.exists()
