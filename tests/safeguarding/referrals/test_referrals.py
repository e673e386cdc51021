"""A referral to an agency records its date, reference and the response expected from the
school's defaults for that agency; the agency's response (date, who, what they said, the
outcome) and each chase are appended, never edited; bad input is refused at the field with
nothing written; a closed concern takes no new referral but still takes a response or a chase.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.actor import Actor
from safeguarding import services
from safeguarding.models import (
    Agency,
    Referral,
    ReferralChase,
    ReferralResponse,
    SafeguardingSettings,
)
from safeguarding.selectors import chronology_for
from tests.conftest import client_for
from tests.gate_checks import actor, refused
from tests.safeguarding.matrix_concerns import concern_for

# A Friday; the Monday after is a school day and a working day.
FRIDAY = datetime.date(2026, 12, 4)
AT_FRIDAY_NOON = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def on_friday():
    with time_machine.travel(AT_FRIDAY_NOON, tick=False):
        yield


def dsl(world) -> Actor:
    return Actor.for_user(world.users["dsl"])


def refer(world, *, agency=Agency.SOCIAL_CARE, referred_on=FRIDAY, concern=None) -> Referral:
    return services.referral_add(
        actor=dsl(world),
        concern=concern or concern_for(world),
        agency=agency,
        reference="MASH-2026-0042",
        referred_on=referred_on,
    )


def respond(world, referral, **overrides) -> ReferralResponse:
    data = {
        "responded_on": FRIDAY,
        "responded_by": "Duty social worker, MASH",
        "what_they_said": "Accepted for a child and family assessment.",
        "outcome": "Assessment under section 17",
        **overrides,
    }
    return services.referral_response_record(actor=dsl(world), referral=referral, **data)


def test_a_referral_to_childrens_social_care_expects_a_decision_within_one_working_day(world):
    referral = refer(world)
    assert referral.referred_on == FRIDAY
    assert referral.reference == "MASH-2026-0042"
    assert referral.expected_within_working_days == 1
    # Friday's referral: the decision is due on Monday, the next working day.
    assert referral.response_due_on == referral.due_on == datetime.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("agency", "days"),
    [
        (Agency.EARLY_HELP, 10),
        (Agency.POLICE, 2),
        (Agency.CAMHS, 20),
        (Agency.LADO, 1),
        (Agency.HEALTH, 10),
    ],
)
def test_each_agency_has_a_documented_default(world, agency, days):
    assert refer(world, agency=agency).expected_within_working_days == days


def test_the_school_sets_its_own_default_for_an_agency(world):
    SafeguardingSettings.objects.create(school=world.school, referral_early_help_working_days=5)
    referral = refer(world, agency=Agency.EARLY_HELP)
    assert referral.expected_within_working_days == 5
    assert referral.due_on == datetime.date(2026, 12, 11)


def test_the_settings_page_offers_the_referral_defaults_and_keeps_each_change(world):
    from setup.models import SettingChange
    from setup.settings_area.registry import SETTINGS
    from setup.settings_area.services import school_setting_change

    for key in (
        "referral_social_care_working_days",
        "referral_early_help_working_days",
        "referral_police_working_days",
        "referral_camhs_working_days",
        "referral_lado_working_days",
        "referral_other_working_days",
        "referral_chase_interval_working_days",
    ):
        assert key in SETTINGS
    school_setting_change(
        actor=Actor.for_user(world.users["headteacher"]),
        school=world.school,
        key="referral_camhs_working_days",
        value=15,
        reason="Our CAMHS triage answers in three weeks.",
    )
    assert SettingChange.objects.get().old_value == "20"
    assert refer(world, agency=Agency.CAMHS).expected_within_working_days == 15


def test_the_dsl_records_a_referral_response_and_a_chase_through_the_concern_page(world):
    referral = refer(world)
    client = client_for(world.users["dsl"])
    chased = client.post(
        reverse("safeguarding:referral_chase_add", args=[referral.pk]),
        {
            f"chase{referral.pk}-chased_on": "2026-12-04",
            f"chase{referral.pk}-how": "phone",
            f"chase{referral.pk}-spoke_to": "MASH duty desk",
            f"chase{referral.pk}-what_was_said": "Still with the team manager.",
        },
    )
    assert chased.status_code == 302
    answered = client.post(
        reverse("safeguarding:referral_response_add", args=[referral.pk]),
        {
            f"response{referral.pk}-responded_on": "2026-12-04",
            f"response{referral.pk}-responded_by": "Team manager, MASH",
            f"response{referral.pk}-what_they_said": "Strategy discussion booked.",
            f"response{referral.pk}-outcome": "Section 47 enquiry",
        },
    )
    assert answered.status_code == 302
    page = client.get(referral.concern.get_absolute_url()).content.decode()
    for text in ("MASH duty desk", "Still with the team manager.", "Section 47 enquiry"):
        assert text in page
    assert ReferralChase.objects.get().chased_by == world.users["dsl"]
    assert ReferralResponse.objects.get().recorded_by == world.users["dsl"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("referred_on", "2026-12-05", "This date is in the future."),
        ("reference", "x" * 101, "at most 100 characters"),
        ("agency", "", "This field is required."),
    ],
)
def test_bad_referrals_are_refused_at_the_field_and_nothing_is_written(
    world, field, value, message
):
    concern = concern_for(world)
    data = {
        "referral-agency": "social_care",
        "referral-reference": "MASH-1",
        "referral-referred_on": "2026-12-04",
        f"referral-{field}": value,
    }
    response = client_for(world.users["dsl"]).post(
        reverse("safeguarding:referral_add", args=[concern.pk]), data
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["referral_form"].errors[field])
    assert not Referral.objects.exists()


def test_a_referral_dated_in_the_future_is_refused_by_the_service_too(world):
    with pytest.raises(services.ValidationError) as error:
        refer(world, referred_on=FRIDAY + datetime.timedelta(days=1))
    assert "referred_on" in error.value.message_dict
    assert not Referral.objects.exists()


def test_a_response_dated_before_the_referral_is_refused_at_the_field(world):
    referral = refer(world)
    prefix = f"response{referral.pk}"
    response = client_for(world.users["dsl"]).post(
        reverse("safeguarding:referral_response_add", args=[referral.pk]),
        {
            f"{prefix}-responded_on": "2026-12-03",
            f"{prefix}-responded_by": "Duty desk",
            f"{prefix}-what_they_said": "Received.",
            f"{prefix}-outcome": "No further action",
        },
    )
    assert response.status_code == 200
    errors = response.context["referral_rows"][0]["response_form"].errors["responded_on"]
    assert "before the referral" in " ".join(errors)
    assert not ReferralResponse.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"responded_on": FRIDAY + datetime.timedelta(days=1)}, "responded_on"),
        ({"responded_by": " "}, "responded_by"),
        ({"what_they_said": ""}, "what_they_said"),
        ({"outcome": ""}, "outcome"),
    ],
)
def test_other_bad_responses_are_refused_at_their_field(world, overrides, field):
    referral = refer(world)
    with pytest.raises(services.ValidationError) as error:
        respond(world, referral, **overrides)
    assert field in error.value.message_dict
    assert not ReferralResponse.objects.exists()


def test_a_chase_dated_before_the_referral_or_after_a_response_is_refused(world):
    referral = refer(world)
    with pytest.raises(services.ValidationError) as error:
        services.referral_chase_record(
            actor=dsl(world),
            referral=referral,
            chased_on=FRIDAY - datetime.timedelta(days=1),
            how="phone",
            spoke_to="Duty desk",
            what_was_said="Nothing yet.",
        )
    assert "chased_on" in error.value.message_dict
    respond(world, referral)
    with pytest.raises(services.ValidationError):
        services.referral_chase_record(
            actor=dsl(world),
            referral=referral,
            chased_on=FRIDAY,
            how="phone",
            spoke_to="Duty desk",
            what_was_said="Nothing yet.",
        )
    assert not ReferralChase.objects.exists()


def test_a_correction_is_a_new_response_and_the_first_is_kept(world):
    referral = refer(world)
    first = respond(world, referral, outcome="No further action")
    second = respond(world, referral, outcome="Early help assessment", corrects=first)
    assert ReferralResponse.objects.count() == 2
    first.refresh_from_db()
    assert first.outcome == "No further action"
    assert second.corrects == first
    other = refer(world)
    with pytest.raises(services.ValidationError):
        respond(world, other, corrects=first)  # a response of another referral


def test_a_closed_concern_takes_no_new_referral_but_takes_a_response_and_a_chase(world):
    referral = refer(world)
    services.concern_close(
        actor=dsl(world),
        concern=referral.concern,
        outcome="Referred to children's social care",
        reason="Their decision is awaited; the school's part is done.",
    )
    with pytest.raises(services.ValidationError):
        refer(world, concern=referral.concern)
    services.referral_chase_record(
        actor=dsl(world),
        referral=referral,
        chased_on=FRIDAY,
        how="email",
        spoke_to="MASH inbox",
        what_was_said="Sent a reminder.",
    )
    respond(world, referral)
    assert Referral.objects.count() == 1
    page = client_for(world.users["dsl"]).get(referral.concern.get_absolute_url())
    assert page.context["referral_rows"][0]["response_form"] is not None


def test_referrals_responses_and_chases_appear_in_the_chronology(world):
    referral = refer(world)
    services.referral_chase_record(
        actor=dsl(world),
        referral=referral,
        chased_on=FRIDAY,
        how="phone",
        spoke_to="Duty desk",
        what_was_said="With the manager.",
    )
    respond(world, referral)
    kinds = [entry.kind for entry in chronology_for(world.pupil, viewer=world.users["dsl"])]
    assert {"referral", "referral_chase", "referral_response"} <= set(kinds)
    titles = " ".join(
        entry.title for entry in chronology_for(world.pupil, viewer=world.users["dsl"])
    )
    assert "Children's social care" in titles


def test_the_gates_refuse_the_reporter_with_403_and_others_with_404_audited(world):
    from safeguarding.permissions import access_referral

    referral = refer(world)
    refused(403, access_referral, actor(world, "teacher"), referral.pk)
    refused(404, access_referral, actor(world, "deputy_dsl_other_site"), referral.pk)
    refused(404, access_referral, actor(world, "dsl"), referral.pk + 1000)
    assert access_referral(actor(world, "headteacher"), referral.pk) == referral


def test_a_chase_posted_after_the_response_is_answered_on_the_page_and_not_written(world):
    referral = refer(world)
    respond(world, referral)
    prefix = f"chase{referral.pk}"
    page = client_for(world.users["dsl"]).post(
        reverse("safeguarding:referral_chase_add", args=[referral.pk]),
        {
            f"{prefix}-chased_on": "2026-12-04",
            f"{prefix}-how": "phone",
            f"{prefix}-spoke_to": "Duty desk",
            f"{prefix}-what_was_said": "Anything yet?",
        },
    )
    assert page.status_code == 200
    assert services.AWAITING_NONE in page.content.decode()
    assert not ReferralChase.objects.exists()
