"""The replacement list of the "for sharing" chronology: built from the school's records, applied
whole-word and case-insensitively."""

from safeguarding.chronology.redaction import (
    ANOTHER_PUPIL,
    CARER,
    EXTRA,
    SIBLING,
    SOCIAL_WORKER,
    STAFF,
    redactor_for,
)
from tests.factories import CarerFactory, CarerLinkFactory, PupilFactory


def sibling_of(world, first_name="Sam"):
    """A pupil in another class who shares the pupil's mother (one carer record, linked to
    each)."""
    sibling = PupilFactory(school_class=world.class_b, first_name=first_name, last_name="Marsh")
    CarerLinkFactory(pupil=sibling, carer=world.carer)
    return sibling


def test_siblings_other_pupils_carers_staff_and_the_social_worker_are_replaced_by_roles(world):
    sibling_of(world)
    world.pupil.social_worker_name = "Priya Okafor"
    world.pupil.save()
    text = (
        "Sam Marsh said Jude Penrose hit him; Dana Marsh told Dsl and Priya Okafor. sam was upset."
    )

    redactor = redactor_for(world.pupil, texts=[text])

    assert redactor.apply(text) == (
        f"{SIBLING} said {ANOTHER_PUPIL} hit him; {CARER} told {STAFF} and {SOCIAL_WORKER}. "
        f"{SIBLING} was upset."
    )
    listed = {(r.name, r.role, r.count) for r in redactor.redactions([text])}
    assert ("Sam Marsh", SIBLING, 1) in listed
    assert ("Sam", SIBLING, 1) in listed
    assert ("Jude Penrose", ANOTHER_PUPIL, 1) in listed
    assert ("Dana Marsh", CARER, 1) in listed


def test_the_pupil_keeps_their_own_name_and_only_whole_words_are_replaced(world):
    sibling_of(world, first_name="Al")
    text = "Ellis Marsh and Alice went to the hall; Al stayed."

    redactor = redactor_for(world.pupil, texts=[text])

    assert redactor.apply(text) == f"Ellis Marsh and Alice went to the hall; {SIBLING} stayed."


def test_a_pupil_who_shares_no_carer_is_another_pupil_and_names_not_in_the_text_are_not_listed(
    world,
):
    text = "Jude was nearby."

    redactor = redactor_for(world.pupil, texts=[text])

    assert redactor.apply(text) == f"{ANOTHER_PUPIL} was nearby."
    assert [r.name for r in redactor.redactions([text])] == ["Jude"]


def test_a_pupil_whose_carer_only_has_the_same_name_is_not_a_sibling(world):
    namesake = PupilFactory(school_class=world.class_b, first_name="Sam", last_name="Marsh")
    CarerFactory(pupil=namesake, full_name="Dana Marsh", phone="07700 900999")
    text = "Sam Marsh was nearby."

    assert redactor_for(world.pupil, texts=[text]).apply(text) == f"{ANOTHER_PUPIL} was nearby."


def test_extra_words_the_dsl_adds_are_replaced_too(world):
    text = "Seen at the Red Lion with Uncle Bob."

    redactor = redactor_for(world.pupil, texts=[text], extra_words=["red lion", "Uncle Bob"])

    assert redactor.apply(text) == f"Seen at the {EXTRA} with {EXTRA}."


def test_a_name_with_regex_characters_is_matched_literally(world):
    CarerFactory(pupil=world.other_pupil, full_name="J. (Jo) Penrose")
    text = "J. (Jo) Penrose phoned; J  Jo Penrose did not."

    redactor = redactor_for(world.pupil, texts=[text])

    assert redactor.apply(text) == f"{CARER} phoned; J  Jo Penrose did not."
