"""Inviting a carer and accepting the invitation: who may, who may be invited, and the link."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User, UserKind
from core.outbox import send_pending
from families.accounts import services
from families.models import CarerInvitation, CarerInvitationEmail
from schools.models import CarerLink
from tests.conftest import client_for
from tests.factories import CarerFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Quiet-Harbour-Lamp-42!"


def invite_url(world, carer):
    return reverse("families:carer_invite", args=[world.pupil.pk, carer.pk])


def invite(world, carer, persona="teacher"):
    return client_for(world.users[persona]).post(invite_url(world, carer))


def emailed_link() -> str:
    send_pending(CarerInvitationEmail)
    (message,) = mail.outbox
    return re.search(r"https?://\S+/family/invitation/\S+/", message.body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_the_class_teacher_invites_a_carer_by_email_on_record(world):
    response = invite(world, world.carer)

    assert response.status_code == 302
    invitation = CarerInvitation.objects.get()
    assert invitation.carer == world.carer
    assert invitation.invited_by == world.users["teacher"]
    assert invitation.expires_at - invitation.invited_at == timedelta(days=7)
    link = emailed_link()
    assert mail.outbox[0].to == [world.carer.email]
    # The token is kept only as a digest, and the email forgets the link once sent.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == services.token_digest(token)
    assert token not in invitation.token_hash
    assert CarerInvitationEmail.objects.get().link == ""


def test_it_refuses_a_carer_without_parental_responsibility(world):
    CarerLink.objects.filter(carer=world.carer).update(has_parental_responsibility=False)

    invite(world, world.carer)

    assert not CarerInvitation.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("restricted", services.RESTRICTED),
        ("no_email", services.NO_EMAIL),
        ("off_roll", services.OFF_ROLL),
    ],
)
def test_it_refuses_with_a_clear_message_and_writes_nothing(world, change, message):
    if change == "restricted":
        CarerLink.objects.filter(carer=world.carer).update(
            contact_restricted=True, restriction_reason="Court order"
        )
    elif change == "no_email":
        world.carer.email = ""
        world.carer.save()
    else:
        world.pupil.on_roll = False
        world.pupil.save()

    teacher = client_for(world.users["teacher"])
    response = teacher.post(invite_url(world, world.carer))
    page = teacher.get(response["Location"])

    assert not CarerInvitation.objects.exists()
    assert escape(message) in page.content.decode()


def test_it_refuses_a_carer_who_already_has_an_account(world):
    world.carer.user = UserFactory(email=world.carer.email, kind=UserKind.CARER)
    world.carer.save()

    invite(world, world.carer)

    assert not CarerInvitation.objects.exists()


def test_staff_who_do_not_contact_families_cannot_invite(world):
    assert invite(world, world.carer, "it_staff").status_code == 403
    assert invite(world, world.carer, "other_teacher").status_code == 404
    assert not CarerInvitation.objects.exists()


def test_a_carer_of_another_pupil_cannot_be_invited_from_this_page(world):
    stranger = CarerFactory(pupil=world.other_pupil)

    assert invite(world, stranger).status_code == 404


def test_the_carer_accepts_with_a_password_and_is_signed_in(world, client):
    invite(world, world.carer)
    link = path_of(emailed_link())

    assert client.get(link).status_code == 200
    response = client.post(
        link, {"how": "password", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("families:home")
    user = User.objects.get(email=world.carer.email)
    assert user.kind == UserKind.CARER and user.check_password(GOOD_PASSWORD)
    world.carer.refresh_from_db()
    assert world.carer.user == user
    assert client.session[SESSION_KEY] == str(user.pk)
    assert world.pupil.display_name in client.get(reverse("families:home")).content.decode()


def test_the_carer_may_choose_to_sign_in_by_code(world, client):
    invite(world, world.carer)
    link = path_of(emailed_link())

    client.post(link, {"how": "code"})

    user = User.objects.get(email=world.carer.email)
    assert not user.has_usable_password()


def test_a_weak_password_is_refused_at_the_field_and_nothing_is_written(world, client):
    invite(world, world.carer)
    link = path_of(emailed_link())

    response = client.post(link, {"how": "password", "password1": "short", "password2": "short"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(email=world.carer.email).exists()
    assert CarerInvitation.objects.get().accepted_at is None


def test_a_used_invitation_gets_a_clear_page(world, client):
    invite(world, world.carer)
    link = path_of(emailed_link())
    client.post(link, {"how": "code"})

    again = client_for(None).post(link, {"how": "code"})

    assert again.status_code == 200
    assert escape(services.INVITATION_USED) in again.content.decode()
    assert User.objects.filter(email=world.carer.email).count() == 1


def test_an_expired_invitation_gets_a_clear_page_and_nothing_is_written(world, client):
    invite(world, world.carer)
    link = path_of(emailed_link())

    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        response = client.post(link, {"how": "code"})

    assert escape(services.INVITATION_EXPIRED) in response.content.decode()
    assert not User.objects.filter(email=world.carer.email).exists()


def test_a_made_up_link_gets_the_same_clear_page(client):
    response = client.get(reverse("families:invitation_accept", args=["not-a-real-token"]))

    assert response.status_code == 200
    assert escape(services.INVITATION_REVOKED) in response.content.decode()


def test_inviting_again_ends_the_earlier_link(world, client):
    invite(world, world.carer)
    first = path_of(emailed_link())
    mail.outbox.clear()
    invite(world, world.carer)

    response = client.get(first)

    assert escape(services.INVITATION_REVOKED) in response.content.decode()
