"""A period is whole days in England: the clocks' changes move nothing across its edges."""

import datetime

from oversight.measures.contacts import concerns, flags_raised
from oversight.measures.scope import Scope
from safeguarding.models import Concern, Urgency
from safeguarding.services import concern_categories_ensure
from tests.oversight.factories import make_case

UTC = datetime.UTC


def raise_concern_at(world, moment: datetime.datetime) -> None:
    concern = Concern.objects.create(
        pupil=world.pupil,
        category=concern_categories_ensure(school=world.school)[0],
        urgency=Urgency.ROUTINE,
        what_happened="Something",
        happened_at=moment,
        raised_by=world.users["teacher"],
    )
    Concern.objects.filter(pk=concern.pk).update(raised_at=moment)


def test_march_ends_at_midnight_british_summer_time_not_utc(world):
    # 23:30 UTC on 31/03/2026 is 00:30 BST on 1 April: April's, not March's.
    raise_concern_at(world, datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    # 22:30 UTC on 31/03 is 23:30 BST, still March.
    raise_concern_at(world, datetime.datetime(2026, 3, 31, 22, 30, tzinfo=UTC))
    # 00:30 UTC on 29/03, the night the clocks go forward (01:00 UTC), is 00:30 GMT: March.
    raise_concern_at(world, datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    scope = Scope(world.school.pk)

    march = concerns(scope, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    april = concerns(scope, datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))

    assert (march.total, april.total) == (2, 1)


def test_october_ends_at_midnight_gmt_after_the_clocks_go_back(world):
    from cases.models import Flag, FlagKind

    case = make_case(
        world.pupil,
        world.users["teacher"],
        start=datetime.date(2026, 10, 1),
        end=datetime.date(2026, 11, 30),
    )
    # 00:30 UTC on 1 November is 00:30 GMT (the clocks went back on 25 October): November.
    late = Flag.objects.create(case=case, kind=FlagKind.DAILY_CONTACT_MISSED, period=case.end_date)
    Flag.objects.filter(pk=late.pk).update(
        raised_at=datetime.datetime(2026, 11, 1, 0, 30, tzinfo=UTC)
    )
    # 23:30 UTC on 31 October is 23:30 GMT: October.
    early = Flag.objects.create(
        case=case, kind=FlagKind.DAILY_CONTACT_MISSED, period=case.start_date
    )
    Flag.objects.filter(pk=early.pk).update(
        raised_at=datetime.datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
    )

    october = flags_raised(
        Scope(world.school.pk), datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)
    )

    missed = next(row for row in october if row.kind == FlagKind.DAILY_CONTACT_MISSED)
    assert (missed.raised, missed.still_open) == (1, 1)
