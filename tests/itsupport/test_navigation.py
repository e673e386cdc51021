from django.urls import reverse

from tests.conftest import client_for


def _menu(world, persona: str) -> set[str]:
    from remote_learning.navigation import NAV_ITEMS

    user = world.users[persona]
    return {item.url_name for item in NAV_ITEMS if item.visible_to(user)}


def test_the_menu_offers_it_pages_only_to_those_who_may_use_them(world):
    it_pages = {"itsupport:request_list", "itsupport:need_list", "itsupport:loan_list"}
    assert it_pages <= _menu(world, "it_staff")
    assert it_pages & _menu(world, "teacher") == {
        "itsupport:request_list",
        "itsupport:need_list",
    }
    assert it_pages & _menu(world, "dsl") == {"itsupport:request_list"}
    assert it_pages & _menu(world, "governor") == set()
    # Every page the menu offers answers 200.
    for persona in ("it_staff", "teacher", "dsl", "slt_class"):
        client = client_for(world.users[persona])
        for name in it_pages & _menu(world, persona):
            assert client.get(reverse(name)).status_code == 200, (persona, name)
