"""Permission matrix rows for a school's concern categories, at the world's school.

- The headteacher, the DSL and administrators read and change them.
- SLT (whatever their membership's scope) read them and get 403 on changing.
- Everyone else, the other school's headteacher and the deputy DSL of the other site
  included: 404.
"""

import itertools

from safeguarding.services import concern_categories_ensure
from tests.matrix import Rule
from tests.world import World

CHANGES = frozenset({"headteacher", "dsl", "administrator"})
READS_ONLY = frozenset({"slt_class", "slt_other_site"})
READS = CHANGES | READS_ONLY
_names = itertools.count(1)


def _school(world: World) -> list:
    return [world.school.pk]


def _category(world: World) -> list:
    return [world.school.pk, concern_categories_ensure(school=world.school)[0].pk]


def _a_new_category(world: World) -> dict:
    return {"name": f"Attendance worries {next(_names)}", "reason": "Our own heading."}


def _a_new_name(world: World) -> dict:
    category = concern_categories_ensure(school=world.school)[0]
    return {
        "name": f"{category.name} {next(_names)}",
        "active": "on",
        "records_body_map": "on" if category.records_body_map else "",
        "reason": "A clearer name.",
    }


ROWS = {
    # The menu's entry: every school's heads and DSLs read their own school's list there.
    "setup:categories_home": Rule(allowed=READS | {"other_school_head"}),
    "setup:category_list": Rule(allowed=READS, args=_school),
    "setup:category_history": Rule(allowed=READS, args=_school),
    "setup:category_add": Rule(
        allowed=CHANGES,
        forbidden=READS_ONLY,
        method="post",
        args=_school,
        data=_a_new_category,
        allowed_status=302,
    ),
    "setup:category_change": Rule(
        allowed=CHANGES,
        forbidden=READS_ONLY,
        method="post",
        args=_category,
        data=_a_new_name,
        allowed_status=302,
    ),
}
