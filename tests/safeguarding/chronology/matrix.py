"""Permission matrix rows for the printable chronology.

The DSL of the pupil's site and the headteacher (who read the chronology page) ask for prints,
follow them and download them; only the DSL team changes or releases a version for sharing,
so the headteacher gets 403 there; everyone else, the other site's deputy DSL included, 404.
"""

from tests.matrix import Rule
from tests.safeguarding.chronology.helpers import print_for, ready_print_for
from tests.safeguarding.matrix_concerns import TRIAGES

RELEASES = frozenset({"dsl"})
SEES_THE_RELEASE = frozenset({"headteacher"})


def _sharing(world) -> list:
    return [ready_print_for(world, for_sharing=True).pk]


ROWS = {
    "safeguarding:chronology_print_new": Rule(allowed=TRIAGES, args=lambda w: [w.pupil.pk]),
    "safeguarding:chronology_print_detail": Rule(allowed=TRIAGES, args=lambda w: [print_for(w).pk]),
    "safeguarding:chronology_print_download": Rule(
        allowed=TRIAGES, args=lambda w: [ready_print_for(w).pk]
    ),
    "safeguarding:chronology_print_words": Rule(
        allowed=RELEASES,
        forbidden=SEES_THE_RELEASE,
        method="post",
        args=_sharing,
        data=lambda w: {"extra_words": "Red Lion"},
        allowed_status=302,
    ),
    "safeguarding:chronology_print_confirm": Rule(
        allowed=RELEASES,
        forbidden=SEES_THE_RELEASE,
        method="post",
        args=_sharing,
        data=lambda w: {"revision": 1},
        allowed_status=302,
    ),
}
