"""The declaration page's gate: staff who may see pupil data declare their device; the page
does not exist (an audited 404) for governors and people with no membership."""

from core.actor import Actor
from dataprotection.refusals import refuse_unless
from declarations.services import must_declare


def access_declaration(actor: Actor) -> None:
    refuse_unless(
        must_declare(actor.user), actor, detail="device declarations are for staff who see pupils"
    )
