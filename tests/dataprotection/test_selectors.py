"""access_events_for: newest first, by pupil, by person and by Europe/London dates."""

import datetime

import pytest
import time_machine

from dataprotection.models import AccessAction, AccessEvent
from dataprotection.selectors import access_events_for, local_midnight
from dataprotection.services import access_record

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def event_at(moment: datetime.datetime, **kwargs: object) -> AccessEvent:
    with time_machine.travel(moment, tick=False):
        return access_record(action=AccessAction.VIEW, **kwargs)


def pks(events) -> list[int]:
    return [event.pk for event in events]


def test_events_come_newest_first():
    first = event_at(datetime.datetime(2026, 1, 5, 9, tzinfo=UTC))
    third = event_at(datetime.datetime(2026, 1, 7, 9, tzinfo=UTC))
    second = event_at(datetime.datetime(2026, 1, 6, 9, tzinfo=UTC))

    assert pks(access_events_for()) == [third.pk, second.pk, first.pk]


def test_events_at_the_same_moment_come_latest_recorded_first():
    moment = datetime.datetime(2026, 1, 5, 9, tzinfo=UTC)
    earlier = event_at(moment)
    later = event_at(moment)

    assert pks(access_events_for()) == [later.pk, earlier.pk]


def test_it_filters_by_pupil_and_by_person():
    mine = event_at(datetime.datetime(2026, 1, 5, 9, tzinfo=UTC), pupil_id=1)
    event_at(datetime.datetime(2026, 1, 5, 10, tzinfo=UTC), pupil_id=2)
    by_someone = AccessEvent.objects.create(user_id=77, user_display="A <a@x>", action="view")

    assert pks(access_events_for(pupil_id=1)) == [mine.pk]
    assert pks(access_events_for(user_id=77)) == [by_someone.pk]
    assert pks(access_events_for(pupil_id=1, user_id=77)) == []


def test_within_narrows_to_the_callers_scope():
    one = event_at(datetime.datetime(2026, 1, 5, 9, tzinfo=UTC), pupil_id=1)
    event_at(datetime.datetime(2026, 1, 5, 9, tzinfo=UTC), pupil_id=2)

    scope = AccessEvent.objects.filter(pupil_id__in=[1, 3])

    assert pks(access_events_for(within=scope)) == [one.pk]
    assert pks(access_events_for(within=scope, pupil_id=2)) == []


def test_local_midnight_follows_british_summer_time():
    assert local_midnight(datetime.date(2026, 1, 15)) == datetime.datetime(
        2026, 1, 15, 0, tzinfo=UTC
    )
    assert local_midnight(datetime.date(2026, 7, 15)) == datetime.datetime(
        2026, 7, 14, 23, tzinfo=UTC
    )


def test_the_day_the_clocks_go_forward():
    # 29/03/2026 runs from 00:00 GMT (00:00 UTC) to 23:59:59 BST (22:59:59 UTC): 23 hours.
    day = datetime.date(2026, 3, 29)
    evening_before = event_at(datetime.datetime(2026, 3, 28, 23, 59, tzinfo=UTC))
    just_after_midnight = event_at(datetime.datetime(2026, 3, 29, 0, 0, tzinfo=UTC))
    late_evening = event_at(datetime.datetime(2026, 3, 29, 22, 59, tzinfo=UTC))
    next_day_in_london = event_at(datetime.datetime(2026, 3, 29, 23, 0, tzinfo=UTC))

    assert pks(access_events_for(date_from=day, date_to=day)) == [
        late_evening.pk,
        just_after_midnight.pk,
    ]
    assert pks(access_events_for(date_to=datetime.date(2026, 3, 28))) == [evening_before.pk]
    assert pks(access_events_for(date_from=datetime.date(2026, 3, 30))) == [next_day_in_london.pk]


def test_the_day_the_clocks_go_back():
    # 25/10/2026 runs from 00:00 BST (23:00 UTC on the 24th) to 23:59:59 GMT: 25 hours.
    day = datetime.date(2026, 10, 25)
    still_the_24th = event_at(datetime.datetime(2026, 10, 24, 22, 59, tzinfo=UTC))
    midnight_bst = event_at(datetime.datetime(2026, 10, 24, 23, 0, tzinfo=UTC))
    late_evening = event_at(datetime.datetime(2026, 10, 25, 23, 59, tzinfo=UTC))
    the_26th = event_at(datetime.datetime(2026, 10, 26, 0, 0, tzinfo=UTC))

    assert pks(access_events_for(date_from=day, date_to=day)) == [
        late_evening.pk,
        midnight_bst.pk,
    ]
    assert pks(access_events_for(date_to=datetime.date(2026, 10, 24))) == [still_the_24th.pk]
    assert pks(access_events_for(date_from=datetime.date(2026, 10, 26))) == [the_26th.pk]


def test_a_range_includes_both_end_dates():
    start = event_at(datetime.datetime(2026, 3, 2, 0, 0, tzinfo=UTC))
    end = event_at(datetime.datetime(2026, 3, 4, 23, 59, tzinfo=UTC))
    event_at(datetime.datetime(2026, 3, 5, 0, 0, tzinfo=UTC))

    events = access_events_for(
        date_from=datetime.date(2026, 3, 2), date_to=datetime.date(2026, 3, 4)
    )

    assert pks(events) == [end.pk, start.pk]
