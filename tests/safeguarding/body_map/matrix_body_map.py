"""Permission matrix rows for the body map. Marks are read on the concern page by those who
triage it, who add marks there too; the reporter adds the marks they saw from the receipt while
the concern is unacknowledged, as here (403 afterwards, tested beside the feature); everyone else
gets 404. A post with nothing in it is answered at the form (200)."""

from tests.matrix import Rule
from tests.safeguarding.body_map.helpers import physical_concern_for
from tests.safeguarding.matrix_concerns import REPORTER, TRIAGES

ROWS = {
    "safeguarding:body_mark_add": Rule(
        allowed=TRIAGES | REPORTER,
        method="post",
        args=lambda world: [physical_concern_for(world).pk],
    ),
}
