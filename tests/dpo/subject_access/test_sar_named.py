"""A concern about another pupil that names the pupil holds the pupil's personal data, so their
subject access export holds it when safeguarding records are included: category, date,
urgency, status, who named them, when and why. The other child's name and the concern's
account are that child's data: "another pupil", and no account. Withheld, it is counted with
the other safeguarding records."""

import datetime as dt
import json

import pytest

from dpo.subject_access.collecting import pupil_for_subject_access, subject_access_collect
from dpo.subject_access.structure import (
    SAFEGUARDING_INCLUDED,
    SAFEGUARDING_WITHHELD,
    Options,
)
from safeguarding.models import ConcernPupil
from tests.conftest import client_for
from tests.dpo.subject_access.test_sar import (
    REASON,
    choices,
    json_url,
    named_in_concerns_about_jude,
    pdf_url,
    read_pdf,
)


@pytest.fixture
def dpo(world):
    return client_for(world.users["dpo"])


def included() -> dict:
    return choices(include_safeguarding="on", safeguarding_reason=REASON)


def leak_free(text: str) -> None:
    for word in ("Jude", "Penrose", "younger child", "took their lunch"):
        assert word not in text, word


def test_the_json_file_holds_the_naming_without_the_other_child(world, dpo):
    [concern] = named_in_concerns_about_jude(world)
    response = dpo.post(json_url(world.pupil), included())

    raw = response.content.decode("utf-8")
    safeguarding = json.loads(raw)["safeguarding"]
    assert safeguarding["status"] == SAFEGUARDING_INCLUDED
    assert safeguarding["records_held"] == 1
    assert safeguarding["concerns"] == []
    [entry] = safeguarding["named_in_concerns"]
    assert entry["about"] == "another pupil"
    assert entry["category"] == concern.category.name
    assert entry["urgency"] == "High"
    assert entry["status"] == concern.get_status_display()
    assert dt.datetime.fromisoformat(entry["raised_at"]) == concern.raised_at
    assert entry["named_by"] == "Dsl"
    assert entry["named_when_raised"] is False
    assert entry["why"] == "another pupil said Ellis saw it happen"
    leak_free(raw)


def test_the_pdf_holds_the_naming_without_the_other_child(world, dpo):
    named_in_concerns_about_jude(world)
    text = read_pdf(dpo.post(pdf_url(world.pupil), included()).content)
    assert "Named in a concern about another pupil" in text
    assert "another pupil said Ellis saw it happen" in text
    leak_free(text)


def test_a_naming_when_the_concern_was_raised_says_so(world, dpo):
    [concern] = named_in_concerns_about_jude(world)
    ConcernPupil.objects.filter(concern=concern).update(reason="")
    [entry] = json.loads(dpo.post(json_url(world.pupil), included()).content)["safeguarding"][
        "named_in_concerns"
    ]
    assert entry["named_when_raised"] is True and entry["why"] == ""
    text = read_pdf(dpo.post(pdf_url(world.pupil), included()).content)
    assert "when the concern was raised" in text


def test_withheld_the_naming_is_counted_and_not_shown(world, dpo):
    named_in_concerns_about_jude(world, 2)
    response = dpo.post(json_url(world.pupil), choices())
    safeguarding = json.loads(response.content)["safeguarding"]
    assert safeguarding["status"] == SAFEGUARDING_WITHHELD
    assert safeguarding["records_held"] == 2
    assert safeguarding["named_in_concerns"] == []
    assert "saw it happen" not in response.content.decode()
    text = read_pdf(dpo.post(pdf_url(world.pupil), choices()).content)
    assert "saw it happen" not in text and "Named in a concern" not in text


def test_the_other_pupils_export_is_unchanged_by_naming_ellis(world, dpo):
    named_in_concerns_about_jude(world)
    record = subject_access_collect(
        pupil=pupil_for_subject_access(world.other_pupil.pk),
        options=Options(include_safeguarding=True, safeguarding_reason=REASON),
        produced_by=world.users["dpo"],
    )
    assert len(record.safeguarding.concerns) == 1
    assert record.safeguarding.named_in_concerns == []
    assert record.safeguarding.records_held == 1
