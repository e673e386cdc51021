"""Shared vocabulary of the permission matrix: personas grouped by what they may do, and the
Rule each URL row states. Each app's tests add their rows in tests/<app>/matrix.py as ROWS."""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.world import CARER_PERSONAS, PERSONAS, World

# Every staff persona (carers' portal accounts are CARERS, below).
EVERYONE = frozenset(PERSONAS)
SEES_THE_PUPIL = frozenset(
    {
        "teacher",
        "class_staff",
        "slt_class",
        "headteacher",
        "dsl",
        "it_staff",
        "family_support_shared",
        "nurse_shared",
    }
)
LISTS_PUPILS = frozenset(
    {
        "teacher",
        "class_staff",
        "other_teacher",
        "slt_class",
        "slt_other_site",
        "headteacher",
        "dsl",
        "deputy_dsl_other_site",
        "it_staff",
        "family_support_shared",
        "family_support_unshared",
        "nurse_shared",
        "other_school_head",
    }
)
MANAGES_SHARES = frozenset({"dsl", "headteacher"})
READS_ACCESS_LOG = frozenset({"dpo", "headteacher", "other_school_head"})
# Carers' portal accounts; those who may see the world's pupil (parental responsibility, not
# restricted, on roll).
CARERS = frozenset(CARER_PERSONAS)
CARES_FOR_THE_PUPIL = frozenset({"carer", "carer_siblings"})


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    forbidden: frozenset[str] = frozenset()  # may see, may not act: 403
    method: str = "get"
    args: Callable[[World], list] = lambda world: []
    data: Callable[[World], dict] = lambda world: {}
    allowed_status: int = 200
    anonymous_status: int = 302
    query: str = ""
    # What a carer's account not in ``allowed`` gets: 404 (staff pages and other families'
    # pages) unless a row says otherwise (the service's home sends a carer to the portal).
    carer_status: int = 404
    hidden: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", EVERYONE - self.allowed - self.forbidden)
