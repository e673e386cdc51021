"""Each gate exists as a predicate and as a queryset scope: they must agree for every persona."""

from dpo.permissions import (
    breaches_visible_to,
    can_decide_retention,
    can_handle_breach,
    can_read_breach,
    can_see_breach,
    can_see_retention_item,
    retention_items_visible_to,
)
from tests.dpo.factories import breach_for, retention_item_for
from tests.world import PERSONAS


def test_the_breach_predicate_and_scope_agree(world):
    breaches = [breach_for(world), breach_for(world, reporter="teacher")]
    for persona in PERSONAS:
        user = world.users[persona]
        scoped = set(breaches_visible_to(user).values_list("pk", flat=True))
        assert scoped == {b.pk for b in breaches if can_see_breach(user, b)}, persona
    readers = {p for p in PERSONAS if can_read_breach(world.users[p], breaches[0])}
    handlers = {p for p in PERSONAS if can_handle_breach(world.users[p], breaches[0])}
    assert (readers, handlers) == ({"dpo", "headteacher"}, {"dpo"})
    seers = {p for p in PERSONAS if can_see_breach(world.users[p], breaches[1])}
    assert seers == {"dpo", "headteacher", "teacher"}


def test_the_retention_predicate_and_scope_agree(world):
    item = retention_item_for(world)
    for persona in PERSONAS:
        user = world.users[persona]
        scoped = retention_items_visible_to(user).filter(pk=item.pk).exists()
        assert scoped is can_see_retention_item(user, item), persona
    deciders = {p for p in PERSONAS if can_decide_retention(world.users[p], item)}
    assert deciders == {"dpo"}
