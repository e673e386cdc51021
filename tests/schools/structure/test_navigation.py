from django.urls import reverse

from remote_learning.navigation import NAV_ITEMS
from tests.conftest import client_for
from tests.matrix import EVERYONE
from tests.schools.structure.matrix import ROWS

SETUP = "schools:structure"


def test_school_setup_is_in_the_menu_of_exactly_those_who_may_open_it(world):
    [item] = [item for item in NAV_ITEMS if item.url_name == SETUP]
    shown = {persona for persona in EVERYONE if item.visible_to(world.users[persona])}

    assert shown == ROWS[SETUP].allowed
    for persona in shown:
        assert client_for(world.users[persona]).get(reverse(SETUP)).status_code == 200
