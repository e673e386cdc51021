"""A pupil leaves: the DSL team or the headteacher records the leaving date and the new
school (name, URN of 6 or 7 digits, its DSL's name and email). The pupil goes off roll and
the DSL team is given a transfer task, a flag due 5 school days after the last day (KCSIE:
the file moves within 5 school days of the pupil leaving or of the start of a new term;
counted on the school's calendar, a pupil leaving in a holiday has until the 5th day of the
new term)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from safeguarding.models import PupilLeaving, TransferFlag
from safeguarding.rules import flag_transfers_due
from safeguarding.transfers import services
from tests.conftest import client_for
from tests.factories import PupilFactory
from tests.safeguarding.transfers.helpers import (
    DUE_ON,
    LEFT_ON,
    NEW_SCHOOL,
    autumn_term,
    leaving_for,
)


@pytest.fixture(autouse=True)
def calendar(world):
    autumn_term(world)


def test_recording_leaving_takes_the_pupil_off_roll_and_raises_a_transfer_flag(world):
    leaving = leaving_for(world)
    world.pupil.refresh_from_db()
    assert world.pupil.on_roll is False
    flag = TransferFlag.objects.get()
    assert (flag.leaving, flag.due_on, flag.resolved_at) == (leaving, DUE_ON, None)
    assert AccessEvent.objects.filter(
        action=AccessAction.CHANGE, subject_type="safeguarding.pupilleaving"
    ).exists()


def test_leaving_in_the_holidays_runs_to_the_fifth_day_of_the_new_term(world):
    leaving_for(world, left_on=datetime.date(2026, 12, 18))
    # Spring term starts Tuesday 5 January 2027: 5th, 6th, 7th, 8th, 11th.
    assert TransferFlag.objects.get().due_on == datetime.date(2027, 1, 11)


@pytest.mark.parametrize("urn", ["12345", "12345678", "12345a", ""])
def test_a_urn_is_six_or_seven_digits_as_for_a_school(world, urn):
    with pytest.raises(ValidationError) as refused:
        services.pupil_leaving_record(
            actor=Actor.for_user(world.users["dsl"]),
            pupil=world.pupil,
            left_on=LEFT_ON,
            **(NEW_SCHOOL | {"new_school_urn": urn}),
        )
    assert "new_school_urn" in refused.value.message_dict
    assert not PupilLeaving.objects.exists() and not TransferFlag.objects.exists()
    world.pupil.refresh_from_db()
    assert world.pupil.on_roll is True


def test_a_seven_digit_urn_is_accepted_as_the_school_register_gives_them(world):
    leaving = services.pupil_leaving_record(
        actor=Actor.for_user(world.users["dsl"]),
        pupil=world.pupil,
        left_on=LEFT_ON,
        **(NEW_SCHOOL | {"new_school_urn": "1234567"}),
    )
    assert leaving.new_school_urn == "1234567"


def test_the_leaving_urn_follows_the_schools_own_rule():
    from schools.models import urn_validator

    field = PupilLeaving._meta.get_field("new_school_urn")
    assert urn_validator in field.validators
    assert field.max_length == 7


def test_a_pupil_already_off_roll_cannot_leave_twice(world):
    leaving_for(world)
    with pytest.raises(ValidationError):
        leaving_for(world)
    assert PupilLeaving.objects.count() == 1


def test_the_daily_rule_is_set_based_and_idempotent(world, django_assert_max_num_queries):
    others = [PupilFactory(school_class=world.class_a) for _ in range(3)]
    for pupil in others:
        leaving_for(world, pupil=pupil)
    TransferFlag.objects.all().delete()
    # Five statements (the fifth looks for files past their date to email about) and the
    # savepoint around them, whatever the number of leavers.
    with django_assert_max_num_queries(7):
        assert flag_transfers_due(LEFT_ON) == 3
    assert flag_transfers_due(LEFT_ON) == 0
    assert set(TransferFlag.objects.values_list("due_on", flat=True)) == {DUE_ON}


def test_the_rule_fills_the_due_date_once_the_calendar_reaches_it(world):
    leaving_for(world, left_on=datetime.date(2027, 3, 26))
    flag = TransferFlag.objects.get()
    assert flag.due_on is None  # the summer term is not entered yet
    from schools.models import Term
    from schools.services import school_days_refresh

    Term.objects.create(
        school=world.school,
        name="Summer 2027",
        first_day=datetime.date(2027, 4, 12),
        last_day=datetime.date(2027, 7, 21),
    )
    school_days_refresh(school=world.school)
    flag_transfers_due(datetime.date(2027, 4, 12))
    flag.refresh_from_db()
    assert flag.due_on == datetime.date(2027, 4, 16)


def test_a_pupil_back_on_roll_no_longer_needs_a_transfer(world):
    leaving_for(world)
    world.pupil.on_roll = True
    world.pupil.save()
    flag_transfers_due(LEFT_ON)
    assert TransferFlag.objects.get().resolved_at is not None


def test_the_leaving_page_records_it(world):
    client = client_for(world.users["headteacher"])
    url = reverse("safeguarding:pupil_leaving", args=[world.pupil.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"left_on": LEFT_ON.isoformat(), **NEW_SCHOOL})
    assert response.status_code == 302
    assert response.url == reverse("safeguarding:pupil_transfer", args=[world.pupil.pk])
    assert PupilLeaving.objects.get().recorded_by == world.users["headteacher"]


@pytest.mark.parametrize("urn", ["12", "12345"])
def test_the_leaving_page_shows_a_bad_urn_at_its_field(world, urn):
    client = client_for(world.users["dsl"])
    url = reverse("safeguarding:pupil_leaving", args=[world.pupil.pk])
    response = client.post(
        url, {"left_on": LEFT_ON.isoformat(), **(NEW_SCHOOL | {"new_school_urn": urn})}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_school_urn"] == ["A URN is six or seven digits."]
    assert not PupilLeaving.objects.exists()


def test_the_leaving_page_takes_a_seven_digit_urn(world):
    client = client_for(world.users["dsl"])
    url = reverse("safeguarding:pupil_leaving", args=[world.pupil.pk])
    response = client.post(
        url, {"left_on": LEFT_ON.isoformat(), **(NEW_SCHOOL | {"new_school_urn": "1234567"})}
    )
    assert response.status_code == 302
    assert PupilLeaving.objects.get().new_school_urn == "1234567"


def test_the_rule_runs_each_morning(world, settings):
    from safeguarding.tasks import check_transfers_due

    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "safeguarding.check_transfers_due" in schedule
    leaving_for(world)
    TransferFlag.objects.all().delete()
    assert check_transfers_due() == 1


def test_the_chronology_leads_to_the_leaving_and_the_transfer(world):
    client = client_for(world.users["dsl"])
    page = client.get(reverse("safeguarding:pupil_chronology", args=[world.pupil.pk]))
    transfer_url = reverse("safeguarding:pupil_transfer", args=[world.pupil.pk])
    assert f'href="{transfer_url}"' in page.content.decode()
    transfer_page = client.get(transfer_url).content.decode()
    assert reverse("safeguarding:pupil_leaving", args=[world.pupil.pk]) in transfer_page
