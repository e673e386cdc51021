"""Permission matrix rows for the body map. Marks are read on the concern page by those who
triage it; they add marks there too. The reporter knows the concern exists and gets 403; everyone
else 404. A post with nothing in it is answered at the form (200)."""

from tests.matrix import Rule
from tests.safeguarding.body_map.helpers import physical_concern_for
from tests.safeguarding.matrix_concerns import REPORTER, TRIAGES

ROWS = {
    "safeguarding:body_mark_add": Rule(
        allowed=TRIAGES,
        forbidden=REPORTER,
        method="post",
        args=lambda world: [physical_concern_for(world).pk],
    ),
}
