"""Messages to groups of families: one email per family, nobody sees another family's address
(policy 5.2), minimum personal data, and nothing lost when the broker is down."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.messages.services import family_message_send
from contacts.models import FamilyMessage, FamilyMessageDelivery
from core.actor import Actor
from core.outbox import OutboxStatus, send_pending
from core.tasks import send_outbox
from dataprotection.models import AccessAction, AccessEvent
from tests.conftest import client_for
from tests.factories import CarerFactory, CarerLinkFactory, PupilFactory
from tests.outbox import assert_links_are_absolute

pytestmark = pytest.mark.django_db


def twelve_families(world) -> list[str]:
    """Twelve more children in class A, each with a carer who has an email address."""
    addresses = []
    for n in range(12):
        pupil = PupilFactory(school_class=world.class_a, first_name=f"Child{n}", last_name="Brook")
        address = f"family{n}@homes.example"
        CarerFactory(pupil=pupil, full_name=f"Parent {n} Brook", email=address)
        addresses.append(address)
    return addresses


def run_nudge_now():
    """The worker, in the test: the nudge sent after commit runs the task at once."""
    return mock.patch.object(
        send_outbox,
        "apply_async",
        side_effect=lambda args, kwargs: send_outbox(*args),
    )


def send(world, client_user="teacher", **overrides):
    data = {
        "audience": f"class-{world.class_a.pk}",
        "subject": "Early finish on Friday",
        "body": "School closes at 1pm on Friday. Live lessons move to Monday.",
        "checked": "on",
    } | overrides
    return client_for(world.users[client_user]).post(reverse("contacts:message_new"), data)


def test_a_message_to_twelve_families_exposes_no_address_to_another(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    addresses = twelve_families(world)
    with run_nudge_now(), django_capture_on_commit_callbacks(execute=True):
        response = send(world)
    message = FamilyMessage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:message_detail", args=[message.pk])

    family_emails = [m for m in mailoutbox if m.to[0] in addresses]
    assert len(family_emails) == 12
    for email in family_emails:
        assert len(email.to) == 1
        assert email.cc == [] and email.bcc == [] and email.recipients() == email.to
        raw = email.message().as_bytes().decode()
        others = [a for a in addresses if a != email.to[0]]
        assert not any(other in raw for other in others), "another family's address leaked"
        # Minimum personal data: no child's or carer's name is added to the message.
        assert "Brook" not in raw and "Dear parent or carer," in email.body
        # A family email carries no link; were one added, it would have to be absolute.
        assert_links_are_absolute(email.body)
    assert sorted(m.to[0] for m in family_emails) == sorted(addresses)
    assert set(message.deliveries.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_siblings_parents_get_one_copy(world, mailoutbox, django_capture_on_commit_callbacks):
    for n in range(2):
        sibling = PupilFactory(school_class=world.class_a, first_name=f"Sib{n}")
        CarerFactory(pupil=sibling, full_name="Shared Parent", email="Same@Home.example")
    with run_nudge_now(), django_capture_on_commit_callbacks(execute=True):
        send(world)
    assert [m.to[0].lower() for m in mailoutbox].count("same@home.example") == 1


def test_a_carer_shared_by_siblings_gets_one_message(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    shared = CarerFactory(pupil=PupilFactory(school_class=world.class_a), email="one@home.example")
    CarerLinkFactory(pupil=PupilFactory(school_class=world.class_a), carer=shared)
    with run_nudge_now(), django_capture_on_commit_callbacks(execute=True):
        send(world)
    assert [m.to[0] for m in mailoutbox].count("one@home.example") == 1
    assert FamilyMessageDelivery.objects.filter(carer=shared).count() == 1


def test_a_carer_whose_contact_is_restricted_gets_no_message(world, mailoutbox):
    kept_away = CarerFactory(pupil=world.pupil, email="no.contact@home.example", priority=2)
    kept_away.links.update(contact_restricted=True, restriction_reason="Court order")
    send(world)
    assert not FamilyMessageDelivery.objects.filter(carer=kept_away).exists()
    assert FamilyMessageDelivery.objects.filter(carer=world.carer).exists()


def test_a_message_that_names_a_child_in_the_group_is_refused_at_the_field(world):
    twelve_families(world)
    response = send(world, body="Well done to Child3 Brook for her painting!")
    assert response.status_code == 200
    form = response.context["form"]
    assert '"Child3 Brook", the name of Child3 Brook' in form.errors["body"][0]
    assert not FamilyMessage.objects.exists()
    assert not FamilyMessageDelivery.objects.exists()


def test_a_group_the_sender_may_not_write_to_is_refused(world):
    response = send(world, audience=f"class-{world.class_b.pk}")
    assert response.status_code == 200
    assert response.context["form"].errors["audience"]
    assert not FamilyMessage.objects.exists()


def test_the_check_box_is_required(world):
    response = send(world, checked="")
    assert "Confirm that you have checked" in response.context["form"].errors["checked"][0]
    assert not FamilyMessage.objects.exists()


def test_families_without_email_are_counted_to_be_reached_another_way(world):
    twelve_families(world)
    PupilFactory(school_class=world.class_a)  # no carer at all
    CarerFactory(pupil=PupilFactory(school_class=world.class_a), email="")
    send(world)
    message = FamilyMessage.objects.get()
    assert message.families_without_email >= 2
    page = client_for(world.users["teacher"]).get(
        reverse("contacts:message_detail", args=[message.pk])
    )
    assert "no email address" in page.content.decode()


def test_a_broker_outage_delays_the_messages_and_the_sweep_sends_them(world, mailoutbox):
    addresses = twelve_families(world)
    send(world)  # on-commit nudge never runs: as if the broker were down
    assert mailoutbox == []
    assert send_pending(FamilyMessageDelivery) >= 12
    assert send_pending(FamilyMessageDelivery) == 0  # nothing is sent twice
    assert {m.to[0] for m in mailoutbox} >= set(addresses)


def test_sending_is_audited_for_each_child_whose_family_was_written_to(world):
    twelve_families(world)
    send(world)
    message = FamilyMessage.objects.get()
    events = AccessEvent.objects.filter(
        action=AccessAction.EXPORT, subject_type="contacts.familymessage"
    )
    assert events.count() == message.deliveries.count()
    assert set(events.values_list("pupil_id", flat=True)) == set(
        message.deliveries.values_list("pupil_id", flat=True)
    )


def test_html_in_a_message_is_shown_as_text(world):
    twelve_families(world)
    send(world, body="<script>alert(1)</script> Bring <b>nothing</b>.")
    message = FamilyMessage.objects.get()
    page = client_for(world.users["teacher"]).get(
        reverse("contacts:message_detail", args=[message.pk])
    )
    body = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body


def test_the_family_list_costs_the_same_queries_for_few_and_many_messages(world):
    twelve_families(world)
    client = client_for(world.users["headteacher"])
    url = reverse("contacts:message_list")
    family_message_send(
        actor=Actor.for_user(world.users["teacher"]),
        audience_key=f"class-{world.class_a.pk}",
        subject="One",
        body="First notice.",
    )
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(24):
        family_message_send(
            actor=Actor.for_user(world.users["teacher"]),
            audience_key=f"class-{world.class_a.pk}",
            subject=f"Notice {n}",
            body="Another notice.",
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Notice 23" in response.content.decode()
    assert len(many) == len(few)


def test_slt_for_a_site_choose_between_the_site_and_nothing_wider(world):
    response = client_for(world.users["slt_other_site"]).get(reverse("contacts:message_new"))
    choices = dict(response.context["form"].fields["audience"].choices)
    assert f"site-{world.south.pk}" in choices
    assert f"school-{world.school.pk}" not in choices
    assert f"class-{world.class_a.pk}" not in choices


@pytest.mark.parametrize(
    "body, found",
    [
        ("Well done to Ellis for her painting!", "Ellis"),
        ("Ellis's painting is on the wall.", "Ellis"),
        ("The MARSH family sent photos.", "MARSH"),
        ("Thanks to Ellie and the class.", "Ellie"),
    ],
)
def test_a_message_naming_a_pupil_by_first_preferred_or_surname_is_refused(world, body, found):
    world.pupil.preferred_name = "Ellie"
    world.pupil.save()
    response = send(world, body=body)
    assert response.status_code == 200
    error = response.context["form"].errors["body"][0]
    assert f'"{found}"' in error
    assert "a pupil in this group" in error
    assert not FamilyMessage.objects.exists()


def test_the_refusal_says_whose_name_only_and_nothing_else_about_them(world):
    world.pupil.preferred_name = "Ellie"
    world.pupil.save()
    error = send(world, body="See you soon, Ellie.").context["form"].errors["body"][0]
    assert error.startswith('This message contains "Ellie", the name of Ellie Marsh, a pupil in')
    assert world.pupil.upn not in error and "Ash" not in error


def test_a_name_only_inside_another_word_is_not_a_match(world):
    response = send(world, body="The marshmallow sale and the trellis are on Friday.")
    assert response.status_code == 302


def test_a_name_that_is_also_a_common_word_is_refused_and_the_sender_is_told_why(world):
    PupilFactory(school_class=world.class_a, first_name="May", last_name="Hill")
    response = send(world, body="Sports day is in May.")
    error = response.context["form"].errors["body"][0]
    assert '"May"' in error
    assert "everyday word" in error
    assert not FamilyMessage.objects.exists()


def test_accents_and_single_letters(world):
    PupilFactory(school_class=world.class_a, first_name="Zoë", last_name="D")
    assert '"Zoe"' in send(world, body="Zoe won.").context["form"].errors["body"][0]
    # A one-letter name cannot be told from a letter or an initial: not checked.
    assert send(world, body="Plan D is on page 4.").status_code == 302


def test_pupils_outside_the_group_do_not_stop_a_message(world):
    # Jude Penrose is in class B, not in the class A group written to.
    response = send(world, body="Jude and the Penrose family: no, this is about trips.")
    assert response.status_code == 302
