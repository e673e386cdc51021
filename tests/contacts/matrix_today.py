"""Permission matrix rows for today's contacts, logging a contact and a case's contact history.

- Today: everyone who works on cases (teachers, class staff, SLT, headteacher; each sees their
  own pupils), and anyone covering a case today. Everyone else: 404.
- Logging a contact for world.pupil: those who work on the case; the DSL of the pupil's site
  reads the case but does not log (403); everyone else: 404.
- The contact history: everyone who reads the case (the DSL too).
- The contact plan (more frequent calls): the DSL team of the site and the headteacher; the
  others who see the case are refused (403).
"""

import uuid

from contacts.models import Channel, ContactKind, Outcome
from tests.cases.matrix import open_case_for
from tests.matrix import Rule

WORKS_ON_CASES = frozenset(
    {
        "teacher",
        "class_staff",
        "other_teacher",
        "slt_class",
        "slt_other_site",
        "headteacher",
        "other_school_head",
    }
)
WORKS_ON_THE_CASE = frozenset({"teacher", "class_staff", "slt_class", "headteacher"})
DECIDES_THE_PLAN = frozenset({"dsl", "headteacher"})


def _contact(world) -> dict:
    return {
        "submission_key": str(uuid.uuid4()),
        "channel": Channel.TELEPHONE,
        "kind": ContactKind.DAILY,
        "outcome": Outcome.SPOKE_WITH_CARER,
    }


ROWS: dict[str, Rule] = {
    "contacts:today": Rule(allowed=WORKS_ON_CASES),
    # A complete contact redirects back to Today (302) for everyone who may log it.
    "contacts:contact_log": Rule(
        allowed=WORKS_ON_THE_CASE,
        forbidden=frozenset({"dsl"}),
        method="post",
        args=lambda world: [open_case_for(world).pk],
        data=_contact,
        allowed_status=302,
    ),
    "contacts:case_contacts": Rule(
        allowed=WORKS_ON_THE_CASE | {"dsl"}, args=lambda world: [open_case_for(world).pk]
    ),
    "contacts:contact_plan": Rule(
        allowed=DECIDES_THE_PLAN,
        forbidden=WORKS_ON_THE_CASE - DECIDES_THE_PLAN,
        method="post",
        args=lambda world: [open_case_for(world).pk],
        data=lambda world: {
            "extra_calls_per_day": "1",
            "extra_call_weekdays": ["0", "2"],
            "decided_reason": "Family struggling; agreed at the DSL meeting.",
        },
        allowed_status=302,
    ),
}
