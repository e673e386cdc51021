"""Permission matrix rows for the breach register and retention reviews. Each row's breach is
flagged by the IT technician at the world's school.

- The register and the flagging form: anyone holding a membership anywhere (each sees their
  own reports, or all of their school's as DPO or headteacher). No membership: 404.
- A breach: the school's DPO and headteacher read it; the reporter sees their receipt. On the
  DPO's actions the headteacher and the reporter get 403; everyone else 404.
- Retention: DPOs and headteachers see their schools' queue; on an item of the world's school
  the headteacher reads and gets 403 on the actions; everyone else 404.
"""

import datetime

from django.utils import timezone

from dpo.models import BreachDecision
from tests.dpo.factories import breach_for, decided, retention_item_for
from tests.matrix import EVERYONE, Rule
from tests.world import World

MEMBERS = EVERYONE - {"no_role", "administrator"}
READS = frozenset({"dpo", "headteacher", "it_staff"})
HANDLES = frozenset({"dpo"})
WATCHES = frozenset({"headteacher", "it_staff"})
RETENTION_READERS = frozenset({"dpo", "headteacher", "other_school_head"})


def _breach(world: World) -> list:
    return [breach_for(world).pk]


def _reportable(world: World) -> list:
    return [decided(breach_for(world), BreachDecision.REPORTABLE).pk]


def _not_reportable(world: World) -> list:
    return [decided(breach_for(world)).pk]


def _item(world: World) -> list:
    return [retention_item_for(world).pk]


def _approved(world: World) -> list:
    return [retention_item_for(world, status="approved").pk]


def _post(args, data) -> Rule:
    return Rule(
        allowed=HANDLES,
        forbidden=WATCHES,
        method="post",
        args=args,
        data=data,
        allowed_status=302,
    )


ROWS = {
    "dpo:breach_list": Rule(allowed=MEMBERS),
    "dpo:breach_new": Rule(allowed=MEMBERS),
    "dpo:breach_detail": Rule(allowed=READS, args=_breach),
    "dpo:breach_assess": _post(
        _breach, lambda world: {"assessment-assessment": "Low risk: one family."}
    ),
    "dpo:breach_decide": _post(
        _breach,
        lambda world: {"decision-decision": "not_reportable", "decision-reason": "Low risk."},
    ),
    "dpo:breach_report": _post(
        _reportable,
        lambda world: {
            "ico-reported_on": timezone.localdate().isoformat(),
            "ico-ico_reference": "ICO/00001",
        },
    ),
    "dpo:breach_subjects_told": _post(
        _breach, lambda world: {"told-told": "yes", "told-notes": "Phoned both."}
    ),
    "dpo:breach_close": _post(
        _not_reportable, lambda world: {"close-lessons": "BCC every group email."}
    ),
    "dpo:retention_list": Rule(allowed=RETENTION_READERS),
    "dpo:retention_item": Rule(allowed=frozenset({"dpo", "headteacher"}), args=_item),
    "dpo:retention_approve": Rule(
        allowed=HANDLES,
        forbidden=frozenset({"headteacher"}),
        method="post",
        args=_item,
        allowed_status=302,
    ),
    "dpo:retention_keep": Rule(
        allowed=HANDLES,
        forbidden=frozenset({"headteacher"}),
        method="post",
        args=_item,
        data=lambda world: {
            "keep-reason": "Legal claim pending.",
            "keep-review_again_on": (
                timezone.localdate() + datetime.timedelta(days=365)
            ).isoformat(),
        },
        allowed_status=302,
    ),
    "dpo:retention_anonymise": Rule(
        allowed=HANDLES,
        forbidden=frozenset({"headteacher"}),
        method="post",
        args=_approved,
        allowed_status=302,
    ),
}
