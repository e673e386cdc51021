"""The access audit in the administration pages: read-only, and reading it is recorded."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent, RetentionPurge
from dataprotection.services import access_record
from tests.conftest import TEST_TOTP_SECRET
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_with_mfa(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def event() -> AccessEvent:
    return access_record(action=AccessAction.VIEW, subject_type="schools.pupil", pupil_id=3)


def test_administrators_can_read_the_audit_and_that_is_recorded(
    admin_client_with_mfa, admin_user, event
):
    response = admin_client_with_mfa.get(reverse("admin:dataprotection_accessevent_changelist"))

    assert response.status_code == 200
    listing = AccessEvent.objects.exclude(pk=event.pk).get()
    assert listing.action == AccessAction.LIST
    assert listing.user_id == admin_user.pk
    assert listing.route == "admin:dataprotection_accessevent_changelist"


def test_one_event_can_be_read_but_not_changed(admin_client_with_mfa, event):
    url = reverse("admin:dataprotection_accessevent_change", args=[event.pk])

    response = admin_client_with_mfa.get(url)
    posted = admin_client_with_mfa.post(url, {"detail": "changed"})

    assert response.status_code == 200
    assert b'name="detail"' not in response.content
    assert posted.status_code == 403
    event.refresh_from_db()
    assert event.detail == ""
    viewing = AccessEvent.objects.filter(action=AccessAction.VIEW).exclude(pk=event.pk).get()
    assert viewing.subject_id == str(event.pk)


def test_events_cannot_be_added_or_deleted_there(admin_client_with_mfa, event):
    add = admin_client_with_mfa.get(reverse("admin:dataprotection_accessevent_add"))
    delete = admin_client_with_mfa.post(
        reverse("admin:dataprotection_accessevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert add.status_code == 403
    assert delete.status_code == 403
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_purge_windows_are_not_in_the_administration_pages():
    assert not admin.site.is_registered(RetentionPurge)


def test_staff_without_the_view_permission_cannot_read_it(event):
    clerk = UserFactory(is_staff=True)
    TOTP.activate(clerk, TEST_TOTP_SECRET)
    client = Client()
    client.force_login(clerk)

    response = client.get(reverse("admin:dataprotection_accessevent_changelist"))

    assert response.status_code == 403
