"""Permission matrix rows for the setup checklist.

- The checklist and its list of people without two-step verification: the headteacher and
  administrators (who configure) and SLT (who read), each for their own school; the other
  school's head reads their own school's. Everyone else: 404.
"""

from tests.matrix import Rule

READS_CHECKLIST = frozenset(
    {"slt_class", "slt_other_site", "headteacher", "other_school_head", "administrator"}
)

ROWS = {
    "setup:checklist": Rule(allowed=READS_CHECKLIST),
    "setup:staff_without_mfa": Rule(allowed=READS_CHECKLIST),
}
