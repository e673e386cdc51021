"""Permission matrix rows for concerns. Each row's concern is raised by the pupil's teacher.

Content (the triage page, its actions, the chronology) is for the DSL of the pupil's site and
the headteacher; the reporter sees the receipt and may add an addendum, and gets 403 on the
triage page and its actions; everyone else, the other site's deputy DSL included, gets 404.
"""

import datetime

from django.utils import timezone

from safeguarding.models import Action, Concern, Urgency
from safeguarding.services import concern_categories_ensure
from tests.matrix import Rule
from tests.world import World

TRIAGES = frozenset({"dsl", "headteacher"})
REPORTER = frozenset({"teacher"})


def concern_for(world: World, *, urgency: str = Urgency.ROUTINE) -> Concern:
    category = concern_categories_ensure(school=world.school)[0]
    return Concern.objects.create(
        pupil=world.pupil,
        category=category,
        urgency=urgency,
        what_happened="Said they had not eaten since yesterday.",
        happened_at=timezone.now() - datetime.timedelta(hours=1),
        raised_by=world.users["teacher"],
    )


def action_for(world: World) -> Action:
    concern = concern_for(world)
    return Action.objects.create(
        concern=concern,
        what="Phone the family",
        who=world.users["dsl"],
        recorded_by=world.users["dsl"],
    )


def _concern(world: World) -> list:
    return [concern_for(world).pk]


def _triage_post(allowed_status: int = 200, args=_concern) -> Rule:
    return Rule(
        allowed=TRIAGES,
        forbidden=REPORTER,
        method="post",
        args=args,
        allowed_status=allowed_status,
    )


ROWS = {
    # Without a pupil or a contact there is nothing to raise a concern about.
    "safeguarding:concern_new": Rule(allowed=frozenset()),
    "safeguarding:concern_detail": Rule(allowed=TRIAGES, forbidden=REPORTER, args=_concern),
    "safeguarding:concern_receipt": Rule(allowed=TRIAGES | REPORTER, args=_concern),
    "safeguarding:concern_acknowledge": _triage_post(302),
    "safeguarding:concern_assign": _triage_post(),
    "safeguarding:concern_pupil_add": _triage_post(),
    "safeguarding:action_add": _triage_post(),
    "safeguarding:action_done": _triage_post(302, args=lambda world: [action_for(world).pk]),
    "safeguarding:decision_add": _triage_post(),
    "safeguarding:referral_add": _triage_post(),
    "safeguarding:addendum_add": Rule(allowed=TRIAGES | REPORTER, method="post", args=_concern),
    "safeguarding:concern_close": _triage_post(),
    "safeguarding:pupil_chronology": Rule(allowed=TRIAGES, args=lambda world: [world.pupil.pk]),
}
