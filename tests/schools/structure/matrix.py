"""Permission matrix rows for school setup (schools/structure/permissions.py).

- The overview: the headteacher and administrators (who configure), SLT (who read) and
  other_school_head, who sees only their own school there.
- A new school: administrators only; for everyone else the page does not exist (404).
- Every page that changes Heathergate: its headteacher and administrators; its SLT may read
  the overview but are refused here (403); everyone else, other_school_head included, 404.
- Archiving and restoring answer with a redirect: the first person changes it, the next
  finds it already done.
"""

from django.utils import timezone

from tests.factories import PathwayFactory, SchoolClassFactory, SiteFactory
from tests.matrix import Rule
from tests.world import World

CONFIGURES = frozenset({"headteacher", "administrator"})
READS = frozenset({"slt_class", "slt_other_site"})


def _spare(world: World, kind: str):
    """A site, pathway or class with no pupils or cases, made once per world to archive."""
    spares = world.__dict__.setdefault("structure_spares", {})
    if kind not in spares:
        gone = {"archived_at": timezone.now()}
        make = {
            "site": lambda: SiteFactory(school=world.school, name="Annexe"),
            "pathway": lambda: PathwayFactory(school=world.school, name="Sensory"),
            "class": lambda: SchoolClassFactory(site=world.north, name="Hazel"),
            "archived site": lambda: SiteFactory(school=world.school, name="Old", **gone),
            "archived pathway": lambda: PathwayFactory(school=world.school, name="Old", **gone),
            "archived class": lambda: SchoolClassFactory(site=world.north, name="Old", **gone),
        }
        spares[kind] = make[kind]()
    return spares[kind]


def _configure(args=lambda world: [world.school.pk]) -> Rule:
    return Rule(allowed=CONFIGURES, forbidden=READS, args=args)


def _archive(kind: str) -> Rule:
    return Rule(
        allowed=CONFIGURES,
        forbidden=READS,
        method="post",
        args=lambda world: [_spare(world, kind).pk],
        data=lambda world: {"archive": "on"},
        allowed_status=302,
    )


def _restore(kind: str) -> Rule:
    return Rule(
        allowed=CONFIGURES,
        forbidden=READS,
        method="post",
        args=lambda world: [_spare(world, f"archived {kind}").pk],
        allowed_status=302,
    )


ROWS: dict[str, Rule] = {
    "schools:structure": Rule(allowed=CONFIGURES | READS | {"other_school_head"}),
    "schools:school_new": Rule(allowed=frozenset({"administrator"})),
    "schools:school_edit": _configure(),
    "schools:site_new": _configure(),
    "schools:pathway_new": _configure(),
    "schools:class_new": _configure(),
    "schools:site_edit": _configure(lambda world: [world.north.pk]),
    "schools:pathway_edit": _configure(lambda world: [world.class_a.pathway_id]),
    "schools:class_edit": _configure(lambda world: [world.class_a.pk]),
    "schools:site_archive": _archive("site"),
    "schools:pathway_archive": _archive("pathway"),
    "schools:class_archive": _archive("class"),
    "schools:site_restore": _restore("site"),
    "schools:pathway_restore": _restore("pathway"),
    "schools:class_restore": _restore("class"),
}
