"""The register of subject access requests: the DPO logs a request from the preview page and
its one-month deadline is fixed; the register lists open requests first with the days left or
overdue by the UK date; marking one sent records who and when; every step is audited with ids
only; requests falling due reach the DPO's home page and nobody else's."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from dpo.models import RequestStatus, SubjectAccessRequest
from dpo.subject_access.selectors import sar_due_for_home
from dpo.subject_access.services import subject_access_request_log, subject_access_request_mark_sent
from tests.conftest import client_for
from tests.factories import PupilFactory

pytestmark = pytest.mark.django_db

REGISTER = reverse("subject_access:request_list")
# Monday 30 November 2026, 10:00 in London (GMT).
MONDAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def dpo(world):
    return client_for(world.users["dpo"])


def dpo_then(world):
    """A DPO signed in at the travelled-to time (a session does not outlive its idle limit)."""
    return client_for(world.users["dpo"])


def log_url(pupil) -> str:
    return reverse("subject_access:request_log", args=[pupil.pk])


def log(world, received_on: dt.date, requested_by: str = "Parent: Ms A", pupil=None):
    return subject_access_request_log(
        actor=Actor.for_user(world.users["dpo"]),
        pupil=pupil or world.pupil,
        requested_by=requested_by,
        received_on=received_on,
    )


# --- Logging ---------------------------------------------------------------------------------


def test_logging_from_the_preview_fixes_the_deadline_past_christmas_and_the_weekend(world):
    with time_machine.travel(MONDAY, tick=False):
        response = dpo_then(world).post(
            log_url(world.pupil), {"requested_by": "Parent: Ms A", "received_on": "25/11/2026"}
        )
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == sar.get_absolute_url()
    # 25/12 is Christmas (Friday), then the weekend, then Boxing Day's substitute Monday.
    assert sar.due_on == dt.date(2026, 12, 29)
    assert sar.received_on == dt.date(2026, 11, 25)
    assert sar.requested_by == "Parent: Ms A"
    assert sar.status == RequestStatus.OPEN
    assert sar.logged_by == world.users["dpo"]
    assert sar.school == world.school


def test_the_safeguarding_choices_are_not_needed_to_log_a_request(world, dpo):
    response = dpo.post(
        log_url(world.pupil),
        {"requested_by": "The pupil", "received_on": "01/11/2026", "include_safeguarding": "on"},
    )
    assert response.status_code == 302
    assert SubjectAccessRequest.objects.count() == 1


def test_a_future_date_is_refused_at_the_field_and_nothing_is_written(world):
    with time_machine.travel(MONDAY, tick=False):
        response = dpo_then(world).post(
            log_url(world.pupil), {"requested_by": "Parent: Ms A", "received_on": "01/12/2026"}
        )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["received_on"] == ["The date received cannot be in the future."]
    assert "The request was not logged." in response.content.decode()
    assert SubjectAccessRequest.objects.count() == 0
    assert not AccessEvent.objects.filter(action=AccessAction.CREATE).exists()


def test_the_service_refuses_a_future_date_at_the_field(world):
    from django.core.exceptions import ValidationError

    with time_machine.travel(MONDAY, tick=False), pytest.raises(ValidationError) as refused:
        log(world, dt.date(2026, 12, 1))
    assert "received_on" in refused.value.error_dict
    assert SubjectAccessRequest.objects.count() == 0


def test_who_asked_is_required_and_nothing_is_written(world, dpo):
    response = dpo.post(log_url(world.pupil), {"requested_by": "  ", "received_on": "01/11/2026"})
    assert response.context["form"].errors["requested_by"] == ["Say who made the request."]
    assert SubjectAccessRequest.objects.count() == 0


def test_a_pupil_at_another_school_cannot_be_logged(world, dpo):
    stranger = PupilFactory()
    assert stranger.school_id != world.school.pk
    response = dpo.post(
        log_url(stranger), {"requested_by": "Parent: Ms A", "received_on": "01/11/2026"}
    )
    assert response.status_code == 404
    assert SubjectAccessRequest.objects.count() == 0


def test_the_headteacher_cannot_log_a_request(world):
    head = client_for(world.users["headteacher"])
    response = head.post(
        log_url(world.pupil), {"requested_by": "Parent: Ms A", "received_on": "01/11/2026"}
    )
    assert response.status_code == 404
    assert SubjectAccessRequest.objects.count() == 0


def test_logging_is_audited_with_the_pupil_id_and_no_names(world):
    with time_machine.travel(MONDAY, tick=False):
        sar = log(world, dt.date(2026, 11, 25), requested_by="Parent: Ms Zebedee")
    event = AccessEvent.objects.get(action=AccessAction.CREATE)
    assert event.pupil_id == world.pupil.pk
    assert event.subject_id == str(sar.pk)
    assert event.subject_type == "dpo.subjectaccessrequest"
    assert "Zebedee" not in event.detail
    assert world.pupil.last_name not in event.detail


# --- The register ----------------------------------------------------------------------------


def test_open_requests_come_first_soonest_due_with_days_left_or_overdue(world):
    with time_machine.travel(dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC), tick=False):
        late = log(world, dt.date(2026, 10, 1))  # due 02/11/2026 (1 Nov is a Sunday)
        answered = log(world, dt.date(2026, 9, 1))
        subject_access_request_mark_sent(actor=Actor.for_user(world.users["dpo"]), sar=answered)
    with time_machine.travel(MONDAY, tick=False):
        soon = log(world, dt.date(2026, 11, 20))  # due 21/12/2026
        page = dpo_then(world).get(REGISTER)
    rows = page.context["requests"]
    assert [r.pk for r in rows] == [late.pk, soon.pk, answered.pk]
    html = page.content.decode()
    assert "overdue by 28 days" in html
    assert "due 21/12/2026 — 21 days left" in html
    assert "Sent 01/10/2026" in html


def test_days_left_count_by_the_uk_date_in_summer_time(world):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        log(world, dt.date(2026, 6, 1))  # due Wednesday 01/07/2026
    # 23:30 UTC on 30 June is already 1 July in London: due today, not one day left.
    with time_machine.travel(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), tick=False):
        html = dpo_then(world).get(REGISTER).content.decode()
    assert "due 01/07/2026 — due today" in html
    assert "1 day left" not in html


def test_the_register_has_an_empty_state(world, dpo):
    assert "No subject access requests have been logged." in dpo.get(REGISTER).content.decode()


def test_the_register_is_audited_per_pupil_listed(world, dpo):
    log(world, dt.date(2026, 11, 2))
    dpo.get(REGISTER)
    listed = AccessEvent.objects.filter(action=AccessAction.LIST, pupil_id=world.pupil.pk)
    assert listed.count() == 1


def test_the_register_costs_the_same_queries_for_few_and_many(world, dpo):
    log(world, dt.date(2026, 11, 2))
    dpo.get(REGISTER)  # warm any per-process caches
    with CaptureQueriesContext(connection) as few:
        assert dpo.get(REGISTER).status_code == 200
    for day in range(1, 29):
        log(world, dt.date(2026, 10, day))
    with CaptureQueriesContext(connection) as many:
        response = dpo.get(REGISTER)
    assert len(response.context["requests"]) == 25
    assert response.context["page"].has_next()
    assert len(many) == len(few)


def test_html_in_who_asked_is_escaped(world, dpo):
    sar = log(world, dt.date(2026, 11, 2), requested_by="<script>alert(1)</script>")
    html = dpo.get(sar.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- One request -----------------------------------------------------------------------------


def test_the_request_page_links_to_the_pupils_export_and_is_audited(world, dpo):
    sar = log(world, dt.date(2026, 11, 2))
    html = dpo.get(sar.get_absolute_url()).content.decode()
    assert reverse("subject_access:preview", args=[world.pupil.pk]) in html
    assert "Parent: Ms A" in html
    assert AccessEvent.objects.filter(
        action=AccessAction.VIEW, subject_id=str(sar.pk), pupil_id=world.pupil.pk
    ).exists()


def test_marking_sent_records_who_and_when_and_is_audited(world):
    sar = log(world, dt.date(2026, 11, 2))
    when = dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC)
    with time_machine.travel(when, tick=False):
        response = dpo_then(world).post(reverse("subject_access:request_mark_sent", args=[sar.pk]))
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.status == RequestStatus.SENT
    assert sar.answered_by == world.users["dpo"]
    assert sar.answered_at == when
    event = AccessEvent.objects.get(action=AccessAction.CHANGE)
    assert event.pupil_id == world.pupil.pk
    assert event.subject_id == str(sar.pk)
    assert event.detail == "subject access request marked sent"


def test_a_sent_request_cannot_be_sent_again(world, dpo):
    sar = log(world, dt.date(2026, 11, 2))
    url = reverse("subject_access:request_mark_sent", args=[sar.pk])
    dpo.post(url)
    first = SubjectAccessRequest.objects.get().answered_at
    response = dpo.post(url, follow=True)
    assert "This request is no longer open." in response.content.decode()
    assert SubjectAccessRequest.objects.get().answered_at == first
    assert AccessEvent.objects.filter(action=AccessAction.CHANGE).count() == 1


def test_the_headteacher_cannot_see_or_mark_a_request(world):
    sar = log(world, dt.date(2026, 11, 2))
    head = client_for(world.users["headteacher"])
    assert head.get(sar.get_absolute_url()).status_code == 404
    assert head.post(reverse("subject_access:request_mark_sent", args=[sar.pk])).status_code == 404
    assert SubjectAccessRequest.objects.get().status == RequestStatus.OPEN


def test_the_due_date_cannot_be_before_receipt(world):
    from django.db import IntegrityError, transaction

    sar = log(world, dt.date(2026, 11, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        SubjectAccessRequest.objects.filter(pk=sar.pk).update(due_on=dt.date(2026, 11, 1))


# --- The home page ---------------------------------------------------------------------------


def test_the_dpo_home_page_shows_requests_due_within_a_week_or_overdue(world):
    with time_machine.travel(dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC), tick=False):
        overdue = log(world, dt.date(2026, 10, 1))  # due 02/11/2026
    with time_machine.travel(MONDAY, tick=False):
        due_soon = log(world, dt.date(2026, 11, 4))  # due 04/12/2026
        later = log(world, dt.date(2026, 11, 20))  # due 21/12/2026
        html = dpo_then(world).get("/").content.decode()
        head_html = client_for(world.users["headteacher"]).get("/").content.decode()
    assert "Subject access requests falling due" in html
    assert f"Request {overdue.pk}</a>" in html
    assert "overdue by 28 days" in html
    assert f"Request {due_soon.pk}</a>" in html
    assert "due 04/12/2026 — 4 days left" in html
    assert f"Request {later.pk}</a>" not in html
    assert world.pupil.last_name not in html.split('id="sar-due"')[1].split("</section>")[0]
    assert "Open data breaches" in head_html or "Good morning" in head_html
    assert "Subject access requests falling due" not in head_html


def test_the_home_selector_is_one_query_and_empty_for_others(world, django_assert_num_queries):
    with time_machine.travel(MONDAY, tick=False):
        for day in (2, 3, 4):
            log(world, dt.date(2026, 11, day))
        dpo_user = world.users["dpo"]
        dpo_user.refresh_from_db()
        sar_due_for_home(dpo_user)  # memberships are fetched once per request
        with django_assert_num_queries(1):
            due = sar_due_for_home(dpo_user)
    assert len(due) == 3
    assert sar_due_for_home(world.users["headteacher"]) == []
