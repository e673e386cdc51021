"""The family messages' gates: allowed returns the message, hidden is a 404, each refusal
with exactly one DENIED row."""

from contacts.messages.permissions import access_family_message, access_family_messages
from contacts.messages.services import family_message_send
from core.actor import Actor
from tests.gate_checks import refused


def _as(world, persona: str) -> Actor:
    return Actor.for_user(world.users[persona])


def _sent(world):
    return family_message_send(
        actor=_as(world, "teacher"),
        audience_key=f"class-{world.class_a.pk}",
        subject="Early finish",
        body="School closes at 1pm on Friday.",
    )


def test_the_pages_are_for_those_who_write_to_families(world):
    assert access_family_messages(_as(world, "teacher")) is None
    assert refused(404, access_family_messages, _as(world, "dsl")).detail == (
        "may not message families"
    )


def test_a_message_is_seen_by_those_who_may_write_to_its_group(world):
    message = _sent(world)
    assert access_family_message(_as(world, "headteacher"), message.pk) == message
    denial = refused(404, access_family_message, _as(world, "other_teacher"), message.pk)
    assert denial.detail == "message not visible to this person"
    assert denial.subject_id == str(message.pk)
    assert refused(404, access_family_message, _as(world, "dsl"), message.pk).detail == (
        "may not message families"
    )
