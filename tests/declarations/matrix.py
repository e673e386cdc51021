"""Permission matrix rows for the device security declaration page (policy sections 5.1 and
5.3): everyone who must declare (any membership in a role other than governor or chair) may
use it; governors, people with no role and administrators without a membership are told
nothing is there."""

from tests.matrix import EVERYONE, Rule

MUST_DECLARE = EVERYONE - {"governor", "chair", "no_role", "administrator"}

ROWS = {
    "dataprotection:declare": Rule(allowed=MUST_DECLARE),
}
