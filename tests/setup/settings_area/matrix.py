"""Permission matrix rows for the settings area, at the world's school.

- The headteacher and administrators read and change the settings.
- SLT (whatever their membership's scope) read them and get 403 on changing.
- The menu's entry page exists for anyone who reads some school's settings (the other
  school's headteacher included); everyone else gets 404.
"""

from cases.selectors import case_settings_of
from tests.matrix import Rule
from tests.world import World

CHANGES = frozenset({"headteacher", "administrator"})
READS_ONLY = frozenset({"slt_class", "slt_other_site"})
READS = CHANGES | READS_ONLY
KEY = "review_interval_school_days"


def _school(world: World) -> list:
    return [world.school.pk]


def _setting(world: World) -> list:
    return [world.school.pk, KEY]


def _a_new_value(world: World) -> dict:
    # Each persona allowed to change it changes it again, so each gets a different value.
    now = case_settings_of(world.school).review_interval_school_days
    return {"value": str(now + 1), "reason": "Fortnightly reviews suit our families."}


ROWS = {
    "setup:settings_home": Rule(allowed=READS | {"other_school_head"}),
    "setup:settings": Rule(allowed=READS, args=_school),
    "setup:settings_history": Rule(allowed=READS, args=_school),
    "setup:setting_history": Rule(allowed=READS, args=_setting),
    "setup:setting_change": Rule(
        allowed=CHANGES,
        forbidden=READS_ONLY,
        method="post",
        args=_setting,
        data=_a_new_value,
        allowed_status=302,
    ),
}
