"""manage.py purge_access_events: the only way rows leave the access audit."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from dataprotection.models import AccessAction, AccessEvent, RetentionPurge
from dataprotection.services import access_record

pytestmark = pytest.mark.django_db

LONDON_NOON = datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC)


def event_at(moment: datetime.datetime, **kwargs: object) -> AccessEvent:
    with time_machine.travel(moment, tick=False):
        return access_record(action=AccessAction.VIEW, **kwargs)


def purge(*args: str) -> str:
    out = io.StringIO()
    with time_machine.travel(LONDON_NOON, tick=False):
        call_command("purge_access_events", *args, stdout=out)
    return out.getvalue()


def test_it_deletes_only_events_older_than_the_cutoff():
    # 30 days before 28/11/2026 is 29/10/2026: the cutoff is local midnight that day (00:00
    # GMT, after the clocks went back on 25/10).
    too_old = event_at(datetime.datetime(2026, 10, 28, 23, 59, tzinfo=datetime.UTC), pupil_id=1)
    kept = event_at(datetime.datetime(2026, 10, 29, 0, 0, tzinfo=datetime.UTC), pupil_id=2)

    output = purge("--older-than-days", "30", "--reason", "test purge")

    assert "Deleted 1 access events older than 29/10/2026." in output
    remaining = AccessEvent.objects.exclude(route="purge_access_events")
    assert list(remaining.values_list("pk", flat=True)) == [kept.pk]
    assert not AccessEvent.objects.filter(pk=too_old.pk).exists()


def test_it_records_the_purge_and_closes_the_window():
    event_at(datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC))
    event_at(datetime.datetime(2019, 6, 1, tzinfo=datetime.UTC))

    purge("--older-than-days", "365", "--reason", "annual retention review")

    record = AccessEvent.objects.get()
    assert record.action == AccessAction.CHANGE
    assert record.route == "purge_access_events"
    assert record.subject_type == "dataprotection.accessevent"
    assert record.detail == (
        "retention purge: 2 events older than 28/11/2025; reason: annual retention review"
    )
    assert record.user_id is None
    assert record.occurred_at == LONDON_NOON
    assert not RetentionPurge.objects.exists()


def test_the_default_is_the_retention_setting(settings):
    settings.ACCESS_EVENT_RETENTION_DAYS = 10
    old = event_at(datetime.datetime(2026, 11, 17, 23, 0, tzinfo=datetime.UTC))
    recent = event_at(datetime.datetime(2026, 11, 18, 0, 0, tzinfo=datetime.UTC))

    output = purge("--reason", "test")

    assert "older than 18/11/2026" in output
    assert not AccessEvent.objects.filter(pk=old.pk).exists()
    assert AccessEvent.objects.filter(pk=recent.pk).exists()


def test_without_the_setting_it_keeps_six_years(settings):
    del settings.ACCESS_EVENT_RETENTION_DAYS
    # 6 * 365 days before 28/11/2026 (29/02/2024 in between) is 29/11/2020.
    old = event_at(datetime.datetime(2020, 11, 28, 23, 59, tzinfo=datetime.UTC))
    kept = event_at(datetime.datetime(2020, 11, 29, 0, 0, tzinfo=datetime.UTC))

    output = purge("--reason", "test")

    assert "older than 29/11/2020" in output
    assert not AccessEvent.objects.filter(pk=old.pk).exists()
    assert AccessEvent.objects.filter(pk=kept.pk).exists()


def test_the_cutoff_is_local_midnight_in_summer_time():
    # 1 day before 01/07/2026 is 30/06/2026; midnight BST is 23:00 UTC the day before.
    before = event_at(datetime.datetime(2026, 6, 29, 22, 59, tzinfo=datetime.UTC))
    after = event_at(datetime.datetime(2026, 6, 29, 23, 0, tzinfo=datetime.UTC))

    with time_machine.travel(datetime.datetime(2026, 7, 1, 9, tzinfo=datetime.UTC), tick=False):
        call_command(
            "purge_access_events", "--older-than-days", "1", "--reason", "t", stdout=io.StringIO()
        )

    assert not AccessEvent.objects.filter(pk=before.pk).exists()
    assert AccessEvent.objects.filter(pk=after.pk).exists()


def test_it_requires_a_reason():
    with pytest.raises(CommandError, match="reason"):
        call_command("purge_access_events", "--older-than-days", "30")
    with pytest.raises(CommandError, match="reason"):
        call_command("purge_access_events", "--older-than-days", "30", "--reason", "  ")


@pytest.mark.parametrize("days", ["0", "-5"])
def test_it_refuses_a_cutoff_of_today_or_later(days):
    event = event_at(LONDON_NOON - datetime.timedelta(hours=1))

    with pytest.raises(CommandError, match="1 or more"):
        purge("--older-than-days", days, "--reason", "test")

    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_an_overlong_reason():
    with pytest.raises(CommandError, match="200 characters"):
        purge("--older-than-days", "30", "--reason", "x" * 201)


def test_running_it_again_deletes_nothing_more():
    event_at(datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC))

    purge("--older-than-days", "365", "--reason", "first")
    output = purge("--older-than-days", "365", "--reason", "second")

    assert "Deleted 0 access events" in output
    assert AccessEvent.objects.count() == 2  # the two records of the purges
