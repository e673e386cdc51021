"""The menu offers each person exactly the pages they may use, grouped so it stays short."""

import pytest
from django.test import RequestFactory

from remote_learning.navigation import NAV_ITEMS, navigation_for
from tests.conftest import client_for
from tests.world import PERSONAS

pytestmark = pytest.mark.django_db


def menu_for(user, path: str = "/") -> list[dict]:
    request = RequestFactory().get(path)
    request.user = user
    return navigation_for(request)


def links(menu: list[dict]) -> list[dict]:
    return [link for entry in menu for link in entry.get("links", [entry])]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_the_menu_offers_answers(world, persona):
    user = world.users[persona]
    client = client_for(user)
    for link in links(menu_for(user)):
        assert client.get(link["url"]).status_code == 200, (persona, link["label"])


def test_the_menu_stays_one_short_row_for_every_persona(world):
    for persona in PERSONAS:
        assert len(menu_for(world.users[persona])) <= 8, persona


def test_a_group_with_one_entry_is_shown_as_that_link(world):
    menu = menu_for(world.users["governor"])
    assert all("links" not in entry or len(entry["links"]) > 1 for entry in menu)


def test_the_current_page_is_marked_in_its_group(world):
    menu = menu_for(world.users["headteacher"], "/oversight/reports/")
    group = next(entry for entry in menu if entry["label"] == "Leadership")
    assert group["current"]
    assert [link["label"] for link in group["links"] if link["current"]] == ["Oversight reports"]


def test_every_menu_entry_names_a_gate():
    assert all(callable(item.visible_to) for item in NAV_ITEMS)


def test_the_rendered_menu_has_plain_links_and_drop_downs(world):
    page = client_for(world.users["teacher"]).get("/").content.decode()
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    assert 'href=""' not in header
    assert '<a class="nav-link" href="/contacts/today/">Today</a>' in header
    assert 'data-bs-toggle="dropdown" aria-expanded="false">Pupils</button>' in header
