"""Scheduled housekeeping for accounts."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db


def test_clearing_sessions_removes_expired_ones_and_keeps_live_ones():
    now = timezone.now()
    Session.objects.create(session_key="e" * 32, session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="l" * 32, session_data="", expire_date=now + timedelta(1))

    clear_expired_sessions.apply()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["l" * 32]


def test_clearing_sessions_twice_is_harmless():
    Session.objects.create(
        session_key="e" * 32, session_data="", expire_date=timezone.now() - timedelta(1)
    )

    clear_expired_sessions.apply()
    clear_expired_sessions.apply()

    assert not Session.objects.exists()
