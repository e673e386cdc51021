"""Who may open a pupil's household, and what they see of each linked pupil.

The household page is opened by whoever reads the pupil's safeguarding chronology (the DSL
team of the pupil's site and the headteacher: ``access_chronology``, reused); everyone else is
told it does not exist (404, audited). Each linked pupil is then shown only to a person who
passes that pupil's own gate: a sibling at a site whose DSL team the viewer is not in is listed
with no details.
"""

from core.actor import Actor
from safeguarding.permissions import access_chronology
from schools.models import Pupil
from schools.permissions import SAFEGUARDING_ROLES, pupil_access


def access_household(actor: Actor, pupil_pk: int) -> Pupil:
    """The pupil whose household this person may open, or the refusal (404)."""
    return access_chronology(actor, pupil_pk)


def can_see_household_member(user: object, pupil: Pupil) -> bool:
    """The predicate for one linked pupil: the same as that pupil's own chronology gate.
    Needs ``pupil.school_class.site`` loaded; no query of its own (memberships are cached)."""
    return bool(pupil_access(user, pupil).roles & SAFEGUARDING_ROLES)
