"""Permission matrix rows for staff's device declarations by site (policy sections 5.1, 5.3
and 3.5).

- The compliance page: IT staff, SLT (any narrowing) and headteachers, each for their own
  scope. Everyone else: 404.
- Resolving a task raised for the world's teacher (class A, north site): IT staff of the
  school resolve it; the headteacher and class A's SLT see it but may not act (403); SLT of
  the other site and everyone else are told nothing is there.
"""

from core.actor import Actor
from declarations.models import DeclarationItem
from declarations.services import Answer, declaration_submit
from tests.matrix import Rule
from tests.world import World

VIEWS = frozenset({"it_staff", "slt_class", "slt_other_site", "headteacher", "other_school_head"})


def issue_for(world: World):
    answers = {item: Answer(confirmed=True) for item in DeclarationItem.values}
    answers[DeclarationItem.ENCRYPTED] = Answer(confirmed=False, reason="I do not know how")
    declaration = declaration_submit(
        actor=Actor.for_user(world.users["teacher"]),
        device_description="own laptop",
        answers=answers,
    )
    return declaration.issues.get()


ROWS = {
    "device_declarations:compliance": Rule(allowed=VIEWS),
    "device_declarations:issue_resolve": Rule(
        allowed=frozenset({"it_staff"}),
        forbidden=frozenset({"slt_class", "headteacher"}),
        method="post",
        args=lambda world: [issue_for(world).pk],
        data=lambda world: {"note": "Turned encryption on together."},
        allowed_status=302,
    ),
}
