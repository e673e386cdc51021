import datetime

from django.urls import reverse

from core.outbox import OutboxStatus
from safeguarding.models import (
    HomeVisit,
    InformedHow,
    Notification,
    NotificationKind,
    SocialWorkerInformed,
)
from tests.cases.matrix import open_case_for
from tests.conftest import client_for
from tests.safeguarding.test_concern_journey import NEW_URL, concern_data


def test_the_chronology_shows_visits_notices_and_who_was_notified_in_time_order(
    world, django_capture_on_commit_callbacks
):
    case = open_case_for(world)
    dsl = world.users["dsl"]
    HomeVisit.objects.create(case=case, reason="No answer for two days", requested_by=dsl)
    SocialWorkerInformed.objects.create(
        case=case,
        informed_on=datetime.date(2026, 11, 2),
        how=InformedHow.PHONE,
        notes="Left details with the duty team",
        recorded_by=dsl,
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.users["teacher"]).post(NEW_URL, concern_data(world, happened_at=""))

    url = reverse("safeguarding:pupil_chronology", args=[world.pupil.pk])
    page = client_for(dsl).get(url).content.decode()

    assert "Home visit requested" in page and "No answer for two days" in page
    assert "Social worker informed (Telephone)" in page
    assert "Immediate concern raised: Dsl notified" in page
    # Oldest first: the social worker was told in November, before the visit and the concern.
    assert page.index("Social worker informed") < page.index("Home visit requested")


def test_the_chronology_says_which_notifications_are_waiting_and_which_could_not_be_sent(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        client_for(world.users["teacher"]).post(NEW_URL, concern_data(world, happened_at=""))
    waiting = Notification.objects.get()
    Notification.objects.create(
        recipient=world.users["headteacher"],
        concern=waiting.concern,
        kind=NotificationKind.ESCALATION,
        status=OutboxStatus.FAILED,
        next_attempt_at=None,
    )

    url = reverse("safeguarding:pupil_chronology", args=[world.pupil.pk])
    page = client_for(world.users["dsl"]).get(url).content.decode()

    assert "not sent yet" in page
    assert "could not be sent" in page
