"""Every page of the permission matrix that someone may open meets WCAG 2.2 AA as axe-core
checks it, and reflows at 320 px without sideways scrolling, in a real Chromium.

The pages come from the matrix itself: each GET row with someone allowed, opened by the first
allowed persona (the order of tests/world.py), so a page added with its matrix row is checked
here without anyone listing it again. Responses that are not whole HTML pages (downloads, PDFs,
CSV, JSON, htmx fragments) are left out: they have no layout to check.

Each page is checked at 1280 px against axe-core's rules tagged wcag2a, wcag2aa, wcag21a,
wcag21aa and wcag22aa; a serious or critical violation fails the test. Then the same page is
narrowed to 320 px (WCAG 1.4.10, reflow): the page must not scroll sideways, and a box inside it
that does (a wide table) must take keyboard focus as a named region. One browser and one tab
serve every page; each persona signs in once, by a session cookie.
"""

import time

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from core.actor import Actor
from declarations.models import DeclarationItem
from declarations.services import Answer, declaration_submit
from tests.itsupport.factories import make_loan, make_need, make_request
from tests.matrix import Rule
from tests.oversight.factories import AFTER_MARCH, month_of_data
from tests.remote_learning.test_permission_matrix import MATRIX
from tests.world import PERSONAS, World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
FAILING_IMPACTS = frozenset({"serious", "critical"})
DESKTOP = {"width": 1280, "height": 800}
REFLOW = {"width": 320, "height": 800}

# Pages allowed to scroll sideways at 320 px, each with the reason. None so far: a wide table
# stacks its rows (.table-stack) and a chart scales.
REFLOW_EXCEPTIONS: dict[str, str] = {}

# Boxes that scroll sideways but cannot be reached from the keyboard, or have no name to be
# announced by: each must take focus (tabindex="0") as a named region.
UNREACHABLE_SCROLLERS = """
() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1
        && el.offsetParent !== null) {
      const named = el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
      if (el.tabIndex < 0 || el.getAttribute('role') !== 'region' || !named) {
        out.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') +
          ' (' + el.scrollWidth + ' px in ' + el.clientWidth + ')');
      }
    }
  }
  return out;
}
"""
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

# The outermost elements that stick out past the right edge: what to fix when a page does not
# reflow.
WIDEST = """
(limit) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    const parent = el.parentElement.getBoundingClientRect();
    if (box.right > limit + 1 && parent.right <= limit + 1 && box.width > 0) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.classList.length ? '.' + [...el.classList].join('.') : '');
      out.push(name + ' (' + Math.round(box.right) + ' px)');
    }
  }
  return out.slice(0, 5);
}
"""


def first_allowed(rule: Rule) -> str | None:
    return next((persona for persona in PERSONAS if persona in rule.allowed), None)


def pages_to_open() -> list[tuple[str, str, Rule]]:
    """(persona, URL name, row) for every GET row someone may open, grouped by persona so that
    each signs in once."""
    pages = [
        (persona, name, rule)
        for name, rule in MATRIX.items()
        if rule.method == "get"
        and rule.allowed_status == 200
        and (persona := first_allowed(rule)) is not None
    ]
    return sorted(pages, key=lambda page: (PERSONAS.index(page[0]), page[1]))


def fill_the_pages(world: World) -> None:
    """Rows for the lists to show, so that wide tables and charts are checked with content:
    a month of remote education (cases, contacts, concerns, sessions, visits, reports), IT
    requests, a loan, a need and a declaration with an item IT must resolve."""
    month_of_data(world)
    make_request(world)
    make_loan(world)
    make_need(world)
    answers = {item: Answer(confirmed=True) for item in DeclarationItem.values}
    answers[DeclarationItem.values[0]] = Answer(confirmed=False, reason="Not sure how to check")
    declaration_submit(
        actor=Actor.for_user(world.users["teacher"]),
        device_description="Own laptop",
        answers=answers,
    )


def sign_in_as(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def is_a_whole_page(response) -> bool:
    content_type = response.headers.get("content-type", "")
    return (
        response.status == 200
        and content_type.startswith("text/html")
        and "attachment" not in response.headers.get("content-disposition", "")
        and response.text().lstrip()[:15].lower() == "<!doctype html>"
    )


def describe(violation: dict) -> str:
    targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
    return (
        f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} nodes: {targets}): "
        f"{violation['help']}"
    )


@pytest.fixture
def after_march():
    # The clock runs (sessions and their time-outs need it), from just after the month of data.
    with time_machine.travel(AFTER_MARCH, tick=True):
        yield


def test_every_page_meets_wcag_22_aa_and_reflows_at_320_px(after_march, page, live_server, capsys):
    started = time.monotonic()
    world = build_world()
    fill_the_pages(world)
    axe = Axe()
    page.set_viewport_size(DESKTOP)
    checked: list[str] = []
    skipped: list[str] = []
    problems: list[str] = []
    signed_in = None

    for persona, name, rule in pages_to_open():
        if persona != signed_in:
            sign_in_as(page, live_server, world.users[persona])
            signed_in = persona
        url = reverse(name, args=rule.args(world)) + rule.query
        if not is_a_whole_page(page.request.get(url)):
            skipped.append(name)
            continue
        page.goto(url)
        checked.append(name)
        where = f"{name} as {persona}"

        results = axe.run(page, options=AXE_OPTIONS).response
        problems += [
            f"{where}: {describe(violation)}"
            for violation in results["violations"]
            if violation["impact"] in FAILING_IMPACTS
        ]

        page.set_viewport_size(REFLOW)
        page.evaluate(NEXT_FRAME)  # the page's own resize handlers have run
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > REFLOW["width"] + 1 and name not in REFLOW_EXCEPTIONS:
            widest = page.evaluate(WIDEST, REFLOW["width"])
            problems.append(f"{where}: {width} px wide at 320 px; sticking out: {widest}")
        if unreachable := page.evaluate(UNREACHABLE_SCROLLERS):
            problems.append(f"{where}: scrolls sideways at 320 px, out of reach: {unreachable}")
        page.set_viewport_size(DESKTOP)

    with capsys.disabled():
        print(
            f"\naxe and reflow: {len(checked)} pages checked, {len(skipped)} not whole pages "
            f"({', '.join(sorted(skipped))}), {len(problems)} problems, "
            f"{time.monotonic() - started:.0f} s"
        )
    assert checked, "no page of the matrix was checked"
    assert not problems, "\n".join(problems)
