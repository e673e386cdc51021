"""Bad input gets a message at its field with nothing written; what staff type is stored as
typed and always shown escaped; only people who can see the pupil may raise a concern."""

import pytest
from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent
from safeguarding.models import TEXT_LIMIT, Concern, Notification
from tests.conftest import client_for
from tests.matrix import SEES_THE_PUPIL
from tests.safeguarding.test_concern_journey import NEW_URL, concern_data
from tests.world import PERSONAS

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def post(world, persona="teacher", **overrides):
    data = concern_data(world, **{"happened_at": "", **overrides})
    return client_for(world.users[persona]).post(NEW_URL, data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("what_happened", "", "This field is required."),
        ("what_happened", "   ", "Write what happened."),
        ("what_happened", "x" * (TEXT_LIMIT + 1), "at most 10000 characters"),
        ("childs_words", "x" * (TEXT_LIMIT + 1), "at most 10000 characters"),
        ("category", "", "This field is required."),
        ("urgency", "", "This field is required."),
        ("happened_at", "2099-01-01T10:00", "This time is in the future."),
    ],
)
def test_bad_input_gets_a_message_at_its_field_and_nothing_is_written(world, field, value, message):
    response = post(world, **{field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Concern.objects.exists()
    assert not Notification.objects.exists()


def test_a_concern_for_a_pupil_the_user_cannot_see_gets_a_message_and_nothing_is_written(world):
    response = post(world, persona="other_teacher")
    assert response.status_code == 200
    assert "You cannot raise a concern about this pupil." in response.content.decode()
    assert "Ellis" not in response.content.decode()
    assert not Concern.objects.exists()
    assert AccessEvent.objects.filter(
        action=AccessAction.DENIED, user_id=world.users["other_teacher"].pk
    ).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_people_who_can_see_the_pupil_get_the_form(world, persona):
    response = client_for(world.users[persona]).get(f"{NEW_URL}?pupil={world.pupil.pk}")
    assert response.status_code == (200 if persona in SEES_THE_PUPIL else 404)


def test_an_unknown_contact_or_pupil_is_not_found(world):
    teacher = client_for(world.users["teacher"])
    assert teacher.get(f"{NEW_URL}?contact=999999").status_code == 404
    assert teacher.get(f"{NEW_URL}?pupil=999999").status_code == 404
    assert teacher.get(f"{NEW_URL}?pupil=abc").status_code == 404


def test_script_is_stored_as_typed_and_shown_escaped_everywhere(world):
    fields = ("what_happened", "childs_words", "where", "others_told")
    response = post(world, **{field: SCRIPT for field in fields})
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert all(getattr(concern, field) == SCRIPT for field in fields)
    dsl = client_for(world.users["dsl"])
    for url, data in (
        (reverse("safeguarding:addendum_add", args=[concern.pk]), {"addendum-text": SCRIPT}),
        (
            reverse("safeguarding:decision_add", args=[concern.pk]),
            {"decision-decision": SCRIPT, "decision-reason": SCRIPT},
        ),
        (
            reverse("safeguarding:action_add", args=[concern.pk]),
            {"action-what": SCRIPT, "action-who": world.users["dsl"].pk},
        ),
        (
            reverse("safeguarding:referral_add", args=[concern.pk]),
            {"referral-agency": "police", "referral-reference": SCRIPT, "referral-notes": SCRIPT},
        ),
        (
            reverse("safeguarding:concern_close", args=[concern.pk]),
            {"close-outcome": SCRIPT, "close-reason": SCRIPT},
        ),
    ):
        assert dsl.post(url, data).status_code == 302
    for url in (
        concern.get_absolute_url(),
        reverse("safeguarding:pupil_chronology", args=[world.pupil.pk]),
    ):
        body = dsl.get(url).content.decode()
        assert ESCAPED in body
        assert SCRIPT not in body


def test_triage_forms_refuse_bad_input_at_the_field(world):
    post(world)
    concern = Concern.objects.get()
    dsl = client_for(world.users["dsl"])
    response = dsl.post(
        reverse("safeguarding:decision_add", args=[concern.pk]),
        {"decision-decision": "Monitor", "decision-reason": ""},
    )
    assert response.status_code == 200
    assert response.context["decision_form"].errors["reason"]
    response = dsl.post(
        reverse("safeguarding:addendum_add", args=[concern.pk]),
        {"addendum-text": "x" * (TEXT_LIMIT + 1)},
    )
    assert response.context["addendum_form"].errors["text"]
    assert not concern.decisions.exists() and not concern.addenda.exists()


def test_a_closed_concern_takes_addenda_but_no_more_triage(world):
    post(world)
    concern = Concern.objects.get()
    dsl = client_for(world.users["dsl"])
    dsl.post(
        reverse("safeguarding:concern_close", args=[concern.pk]),
        {"close-outcome": "Done", "close-reason": "Nothing more needed"},
    )
    response = dsl.post(
        reverse("safeguarding:decision_add", args=[concern.pk]),
        {"decision-decision": "More", "decision-reason": "Because"},
    )
    assert response.status_code == 200
    assert "This concern is closed" in response.content.decode()
    assert not concern.decisions.exists()
    dsl.post(reverse("safeguarding:addendum_add", args=[concern.pk]), {"addendum-text": "Late"})
    assert concern.addenda.count() == 1
