"""Permission matrix rows for governance pages.

- Monitoring (section 3.3): SLT and the headteacher record and read monitoring of their scope
  (the world's activity is for class A: its SLT and the headteacher). Governors and the chair
  see the list without findings and get 403 on an activity and its actions, and on the record
  page. Everyone else: 404.
- Policy (section 6): SLT, headteacher, governors and chair read; the headteacher drafts and
  reviews; the chair approves. Others, and readers of another school: 404.
- Pulse (section 3.7): any member of staff with a non-governor role answers; governors, the
  chair and the headteacher read the summary. Others: 404.
"""

from governance.models import FollowUp, PolicyStatus
from tests.governance.factories import activity, document, version
from tests.matrix import EVERYONE, Rule
from tests.world import World

MONITORS = frozenset({"slt_class", "slt_other_site", "headteacher", "other_school_head"})
GOVERNORS = frozenset({"governor", "chair"})
READS_ACTIVITY = frozenset({"slt_class", "headteacher"})
POLICY_READERS = frozenset({"slt_class", "slt_other_site", "headteacher", "governor", "chair"})
STAFF = EVERYONE - GOVERNORS - {"no_role", "administrator"}
PULSE_READERS = frozenset({"governor", "chair", "headteacher", "other_school_head"})


def _activity(world: World) -> list:
    return [activity(world).pk]


def _follow_up(world: World) -> list:
    found = activity(world)
    return [
        FollowUp.objects.create(
            activity=found,
            action="Share the new timetable",
            owner=world.users["teacher"],
            recorded_by=world.users["slt_class"],
        ).pk
    ]


def _document(world: World) -> list:
    return [document(world).pk]


def _draft(world: World) -> list:
    return [version(world).pk]


def _reviewed(world: World) -> list:
    return [version(world, status=PolicyStatus.REVIEWED).pk]


def _version_data(world: World) -> dict:
    return {
        "label": "2027.1",
        "reason": "scheduled",
        "summary": "Annual review.",
        "reference": "Policies folder",
    }


ROWS = {
    "governance:monitoring_list": Rule(allowed=MONITORS | GOVERNORS),
    "governance:monitoring_new": Rule(allowed=MONITORS, forbidden=GOVERNORS),
    "governance:monitoring_detail": Rule(
        allowed=READS_ACTIVITY, forbidden=GOVERNORS, args=_activity
    ),
    "governance:monitoring_correct": Rule(
        allowed=READS_ACTIVITY,
        forbidden=GOVERNORS,
        method="post",
        args=_activity,
        data=lambda world: {"text": "The meeting was on Tuesday, not Monday."},
        allowed_status=302,
    ),
    "governance:follow_up_add": Rule(
        allowed=READS_ACTIVITY,
        forbidden=GOVERNORS,
        method="post",
        args=_activity,
        data=lambda world: {"action": "Check the packs", "owner": world.users["teacher"].pk},
        allowed_status=302,
    ),
    "governance:follow_up_done": Rule(
        allowed=READS_ACTIVITY,
        forbidden=GOVERNORS,
        method="post",
        args=_follow_up,
        allowed_status=302,
    ),
    "governance:policy_list": Rule(allowed=POLICY_READERS | {"other_school_head"}),
    "governance:policy_new": Rule(
        allowed=frozenset({"headteacher", "other_school_head"}),
        forbidden=POLICY_READERS - {"headteacher"},
    ),
    "governance:policy_detail": Rule(allowed=POLICY_READERS, args=_document),
    "governance:version_new": Rule(
        allowed=frozenset({"headteacher"}),
        forbidden=POLICY_READERS - {"headteacher"},
        args=_document,
    ),
    "governance:version_review": Rule(
        allowed=frozenset({"headteacher"}),
        forbidden=POLICY_READERS - {"headteacher"},
        method="post",
        args=_draft,
        allowed_status=302,
    ),
    "governance:version_approve": Rule(
        allowed=frozenset({"chair"}),
        forbidden=POLICY_READERS - {"chair"},
        method="post",
        args=_reviewed,
        allowed_status=302,
    ),
    "governance:pulse": Rule(allowed=STAFF),
    "governance:pulse_summary": Rule(allowed=PULSE_READERS),
}
