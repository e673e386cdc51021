"""A "no response" is not a contact: the daily contact is made only when someone spoke with
the pupil or a carer. A message left or no answer is an attempt, shown as one, and Today's
count, the oversight figures and the missed-contact flag all say the contact is still due."""

import pytest

from cases.models import Flag, FlagKind
from contacts.models import Outcome
from contacts.rules import flag_missed_daily_contacts
from contacts.selectors import today_counts
from contacts.services import contact_log_record
from core.actor import Actor
from oversight.measures.contacts import daily_contacts_by_class_and_day
from oversight.measures.scope import Scope
from tests.conftest import client_for
from tests.contacts.test_family_reports import THURSDAY, URL, case, day  # noqa: F401


def log(world, case, outcome: str) -> None:  # noqa: F811
    contact_log_record(
        actor=Actor.for_user(world.users["teacher"]),
        case=case,
        channel="telephone",
        outcome=outcome,
    )


@pytest.mark.parametrize(
    ("outcome", "made"),
    [
        (Outcome.NO_RESPONSE, False),
        (Outcome.MESSAGE_LEFT, False),
        (Outcome.SPOKE_WITH_CARER, True),
        (Outcome.SPOKE_WITH_PUPIL, True),
    ],
)
def test_only_reaching_someone_makes_the_days_contact(case, world, outcome, made):  # noqa: F811
    flag_missed_daily_contacts(THURSDAY)
    log(world, case, outcome)

    row = client_for(world.users["teacher"]).get(URL).context["rows"][0]
    assert row.contacts_today == 1  # the attempt is shown as an attempt
    assert row.contacted is made and row.behind is not made
    assert today_counts(world.users["teacher"], THURSDAY)["contacted"] == int(made)
    figures = daily_contacts_by_class_and_day(Scope(school_id=world.school.pk), THURSDAY, THURSDAY)
    assert figures == [(world.class_a.pk, THURSDAY, 1, int(made))]
    missed = Flag.objects.get(case=case, kind=FlagKind.DAILY_CONTACT_MISSED)
    assert (missed.resolved_at is not None) is made
    flag_missed_daily_contacts(THURSDAY)  # run again: still one flag, still as it was
    assert Flag.objects.filter(case=case, kind=FlagKind.DAILY_CONTACT_MISSED).count() == 1
