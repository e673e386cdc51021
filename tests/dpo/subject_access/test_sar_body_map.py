"""A subject access export that includes safeguarding holds each concern's body-map marks, as
recorded (corrected ones too, with the correction's reason), in the PDF and the JSON file."""

import json

from tests.conftest import client_for
from tests.dpo.subject_access.test_sar import REASON, choices, json_url, pdf_url, read_pdf
from tests.safeguarding.body_map.helpers import mark_on, physical_concern_for


def test_the_export_holds_the_body_map_marks_when_safeguarding_is_included(world):
    concern = physical_concern_for(world)
    first = mark_on(world, concern, colour="purple")
    mark_on(world, concern, x=72, supersedes=first.pk, correction_reason="The other arm.")
    dpo = client_for(world.users["dpo"])
    included = choices(include_safeguarding="on", safeguarding_reason=REASON)

    data = json.loads(dpo.post(json_url(world.pupil), included).content)
    marks = data["safeguarding"]["concerns"][0]["body_marks"]
    assert [(m["view"], m["where"], m["kind"]) for m in marks] == [
        ("Front", "right forearm", "Bruise"),
        ("Front", "left forearm", "Bruise"),
    ]
    assert marks[0]["childs_explanation"] == "I bumped it on the door."
    assert marks[1]["correction_reason"] == "The other arm."

    text = read_pdf(dpo.post(pdf_url(world.pupil), included).content)
    for part in ("Body map", "right forearm", "purple", "I bumped it on the door."):
        assert part in text, part
