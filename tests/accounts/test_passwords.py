"""Password rules (policy section 5.3): long, not common, not like the email, mixed characters."""

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ImproperlyConfigured, ValidationError

from accounts.validators import CharacterClassValidator
from tests.factories import UserFactory

GOOD_PASSWORD = "Lantern-Orchard-47£"


def error_codes(password: str, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {item.code for item in error.error_list}
    return set()


def test_a_long_mixed_password_is_accepted():
    assert error_codes(GOOD_PASSWORD) == set()


def test_a_password_shorter_than_twelve_characters_is_refused():
    assert error_codes("Ab3$efgh7Xy") == {"password_too_short"}
    assert error_codes("Ab3$efgh7Xyz") == set()


def test_a_common_password_is_refused_whatever_its_case():
    # On the list in lower case; in this case it has every character class and is long enough.
    assert error_codes("PE#5gz29ptzmse") == {"password_too_common"}


@pytest.mark.django_db
def test_a_password_like_the_email_address_is_refused():
    user = UserFactory(email="jordan.whitfield@school.example")

    assert "password_too_similar" in error_codes("Whitfield-2026!", user)
    assert error_codes(GOOD_PASSWORD, user) == set()


def test_an_all_digit_password_is_refused():
    assert "password_entirely_numeric" in error_codes("738205619374")


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("lantern-orchard-47£", "an upper-case letter"),
        ("LANTERN-ORCHARD-47£", "a lower-case letter"),
        ("Lantern-Orchard-£££", "a number"),
        ("LanternOrchard4711", "a special character"),
    ],
)
def test_each_character_class_is_required(password, missing):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)

    (error,) = caught.value.error_list
    assert error.code == "password_missing_character_classes"
    assert missing in error.message % error.params


def test_the_message_lists_every_missing_class_at_once():
    with pytest.raises(ValidationError) as caught:
        CharacterClassValidator().validate("lanternorchard")

    (error,) = caught.value.error_list
    message = error.message % error.params
    assert "an upper-case letter" in message
    assert "a number" in message
    assert "a special character" in message
    assert "a lower-case letter" not in message


def test_the_required_classes_are_configurable():
    digits_only = CharacterClassValidator(required_classes=["digit"])

    digits_only.validate("lanternorchard7")
    with pytest.raises(ValidationError):
        digits_only.validate("lanternorchard")
    assert digits_only.get_help_text() == "Your password must include a number."


def test_the_validators_follow_the_settings(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "accounts.validators.CharacterClassValidator",
            "OPTIONS": {"required_classes": ["lower"]},
        }
    ]

    assert error_codes("lanternorchard") == set()
    assert error_codes("LANTERNORCHARD") == {"password_missing_character_classes"}


def test_an_unknown_character_class_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="emoji"):
        CharacterClassValidator(required_classes=["upper", "emoji"])


def test_the_help_text_shown_on_password_forms_names_the_rules():
    help_text = " ".join(password_validators_help_texts())

    assert "at least 12 characters" in help_text
    assert "an upper-case letter, a lower-case letter, a number" in help_text
