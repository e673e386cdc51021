"""SLT monitoring of remote learning (policy section 3.3)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from governance import permissions, services
from governance.models import FollowUp, MonitoringActivity, MonitoringKind
from governance.selectors import monitoring_for_report
from tests.conftest import client_for
from tests.governance.factories import activity

NEW = reverse("governance:monitoring_new")
LIST = reverse("governance:monitoring_list")


def _form(world, **extra) -> dict:
    return {
        "kind": MonitoringKind.WORK_REVIEW,
        "held_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "scope": f"class:{world.class_a.pk}",
        "participants": "SLT lead and the class teacher",
        "focus": "Work packs",
        "findings": "Packs were differentiated well.",
        **extra,
    }


def test_slt_records_monitoring_for_their_class_and_it_is_audited(world):
    response = client_for(world.users["slt_class"]).post(NEW, _form(world))
    saved = MonitoringActivity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == saved.get_absolute_url()
    assert saved.school_class == world.class_a
    assert saved.recorded_by == world.users["slt_class"]
    assert saved.findings == "Packs were differentiated well."
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE,
        subject_type="governance.monitoringactivity",
        subject_id=str(saved.pk),
    ).exists()


def test_a_future_date_is_refused_at_the_field_and_nothing_is_written(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(world.users["headteacher"]).post(
        NEW, _form(world, held_on=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == [services.NOT_IN_FUTURE]
    assert not MonitoringActivity.objects.exists()


def test_the_service_refuses_a_future_date_too(world):
    with pytest.raises(ValidationError) as refused:
        services.monitoring_record(
            actor=Actor.for_user(world.users["headteacher"]),
            school=world.school,
            site=None,
            school_class=None,
            kind=MonitoringKind.MEETING,
            held_on=timezone.localdate() + datetime.timedelta(days=1),
            participants="SLT",
            focus="x",
            findings="y",
        )
    assert "held_on" in refused.value.error_dict


def test_slt_of_one_class_is_not_offered_and_cannot_record_another_class(world):
    client = client_for(world.users["slt_class"])
    scopes = dict(client.get(NEW).context["form"].fields["scope"].choices)
    assert set(scopes) == {"", f"class:{world.class_a.pk}"}
    response = client.post(NEW, _form(world, scope=f"class:{world.class_b.pk}"))
    assert "scope" in response.context["form"].errors
    with pytest.raises(ValidationError) as refused:
        services.monitoring_record(
            actor=Actor.for_user(world.users["slt_class"]),
            school=world.school,
            site=None,
            school_class=world.class_b,
            kind=MonitoringKind.MEETING,
            held_on=timezone.localdate(),
            participants="SLT",
            focus="x",
            findings="y",
        )
    assert "scope" in refused.value.error_dict
    assert not MonitoringActivity.objects.exists()


def test_site_slt_sees_their_site_and_its_classes_only(world):
    south_class = activity(world, scope={"school_class": world.class_south})
    south_site = activity(world, scope={"site": world.south})
    activity(world)  # class A, North
    activity(world, scope={})  # whole school
    client = client_for(world.users["slt_other_site"])
    listed = {a.pk for a in client.get(LIST).context["page"].object_list}
    assert listed == {south_class.pk, south_site.pk}


def test_governors_see_the_list_without_findings_and_403_on_the_record(world):
    found = activity(world, findings="Ms Example found it hard to keep up.")
    client = client_for(world.users["governor"])
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Daily contact with families" in response.content.decode()
    assert "Ms Example" not in response.content.decode()
    assert client.get(found.get_absolute_url()).status_code == 403


def test_findings_are_escaped(world):
    found = activity(world, findings="<script>alert(1)</script>", focus="<b>bold</b>")
    body = client_for(world.users["headteacher"]).get(found.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body


def test_a_correction_is_added_and_the_findings_stay(world):
    found = activity(world)
    client = client_for(world.users["slt_class"])
    response = client.post(
        reverse("governance:monitoring_correct", args=[found.pk]), {"text": "Two families not."}
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.findings == "All families contacted daily."
    correction = found.corrections.get()
    assert (correction.text, correction.added_by) == ("Two families not.", world.users["slt_class"])
    body = client.get(found.get_absolute_url()).content.decode()
    assert "Two families not." in body and "All families contacted daily." in body


def test_an_empty_correction_is_a_field_error(world):
    found = activity(world)
    response = client_for(world.users["slt_class"]).post(
        reverse("governance:monitoring_correct", args=[found.pk]), {"text": ""}
    )
    assert response.status_code == 400
    assert "text" in response.context["correction_form"].errors
    assert not found.corrections.exists()


def test_follow_ups_are_owned_by_staff_and_marked_done_with_who_and_when(world):
    found = activity(world)
    client = client_for(world.users["slt_class"])
    url = reverse("governance:follow_up_add", args=[found.pk])
    refused = client.post(url, {"action": "Check packs", "owner": world.users["governor"].pk})
    assert refused.status_code == 400
    assert "owner" in refused.context["follow_up_form"].errors
    assert not FollowUp.objects.exists()

    client.post(
        url,
        {
            "action": "Check packs",
            "owner": world.users["teacher"].pk,
            "due_on": timezone.localdate().isoformat(),
        },
    )
    follow_up = FollowUp.objects.get()
    assert follow_up.owner == world.users["teacher"]
    with time_machine.travel(timezone.now(), tick=False):
        client.post(reverse("governance:follow_up_done", args=[follow_up.pk]))
        follow_up.refresh_from_db()
        assert follow_up.done_on == timezone.localdate()
        assert follow_up.done_by == world.users["slt_class"]
        assert follow_up.done_at == timezone.now()
    with pytest.raises(ValidationError, match="already marked done"):
        services.follow_up_mark_done(
            actor=Actor.for_user(world.users["headteacher"]), follow_up=follow_up
        )


def test_a_follow_up_cannot_be_due_before_the_activity(world):
    found = activity(world)
    with pytest.raises(ValidationError) as refused:
        services.follow_up_add(
            actor=Actor.for_user(world.users["headteacher"]),
            activity=found,
            action="x",
            owner=world.users["teacher"],
            due_on=found.held_on - datetime.timedelta(days=1),
        )
    assert "due_on" in refused.value.error_dict


def test_the_list_filters_by_kind_and_scope(world):
    meeting = activity(world)
    review = activity(world, kind=MonitoringKind.WORK_REVIEW, scope={"site": world.south})
    client = client_for(world.users["headteacher"])
    by_kind = client.get(LIST, {"kind": MonitoringKind.WORK_REVIEW}).context["page"].object_list
    assert [a.pk for a in by_kind] == [review.pk]
    by_scope = client.get(LIST, {"scope": f"site:{world.north.pk}"}).context["page"].object_list
    assert [a.pk for a in by_scope] == [meeting.pk]


@pytest.mark.parametrize("persona", ["headteacher", "governor"])
def test_the_list_costs_the_same_queries_for_few_or_many(world, persona):
    client = client_for(world.users[persona])
    activity(world)
    client.get(LIST)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(30):
        found = activity(world, scope={"site": world.south})
        FollowUp.objects.create(
            activity=found,
            action=f"a{n}",
            owner=world.users["teacher"],
            recorded_by=world.users["headteacher"],
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 25
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_report_selector_takes_the_period_and_site_with_follow_ups(
    world, django_assert_num_queries
):
    day = timezone.localdate() - datetime.timedelta(days=10)
    whole = activity(world, scope={}, held_on=day)
    north_class = activity(world, held_on=day)
    activity(world, scope={"site": world.south}, held_on=day)
    activity(world, held_on=day - datetime.timedelta(days=40))  # before the period
    FollowUp.objects.create(
        activity=north_class,
        action="Check",
        owner=world.users["teacher"],
        recorded_by=world.users["headteacher"],
    )
    with django_assert_num_queries(3):
        found = monitoring_for_report(
            school_id=world.school.pk,
            site_id=world.north.pk,
            start=day - datetime.timedelta(days=1),
            end=timezone.localdate(),
        )
        follow_ups = {a.pk: [f.owner_display for f in a.follow_ups.all()] for a in found}
    assert [a.pk for a in found] == [whole.pk, north_class.pk]
    assert follow_ups == {whole.pk: [], north_class.pk: ["Teacher"]}
    assert found[1].get_kind_display() == "Meeting with teachers and class staff"
    every_site = monitoring_for_report(school_id=world.school.pk, site_id=None, start=day, end=day)
    assert len(every_site) == 3


def test_the_predicate_and_the_scope_agree_for_every_persona(world):
    activities = [
        activity(world, scope={}),
        activity(world, scope={"site": world.north}),
        activity(world, scope={"site": world.south}),
        activity(world),
        activity(world, scope={"school_class": world.class_b}),
        activity(world, scope={"school_class": world.class_south}),
    ]
    for persona, user in world.users.items():
        scoped = set(permissions.monitoring_visible_to(user).values_list("pk", flat=True))
        predicate = {a.pk for a in activities if permissions.can_read_monitoring(user, a)}
        assert scoped == predicate, persona
    assert permissions.monitoring_visible_to(world.users["slt_class"]).get() == activities[3]
    assert permissions.monitoring_visible_to(world.users["headteacher"]).count() == 6
