"""Every URL of the project, requested by every persona, answers as the table says.

Rows live beside each app's tests in tests/<app>/matrix.py and tests/<app>/<feature>/matrix.py
(a ROWS dict); they are merged
here. A new view must get a row or the completeness test fails: nothing ships without a
decision about who may use it. 200 (or a redirect after a successful POST) means allowed,
403 means "may see but not do", 404 means "may not know it exists", and anonymous visitors
are sent to sign in.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dataprotection.models import AccessAction, AccessEvent
from tests.conftest import client_for
from tests.matrix import Rule
from tests.world import CARER_PERSONAS, PERSONAS, World

# Third-party URL sets with their own tests: allauth's sign-in and MFA pages, and Django's
# admin, which only administrators reach, through allauth's sign-in.
EXEMPT_MODULE_PREFIXES = ("allauth.",)
EXEMPT_NAMESPACES = ("admin",)


def _load_rows() -> dict[str, Rule]:
    rows: dict[str, Rule] = {}
    tests_dir = Path(__file__).resolve().parent.parent
    for path in sorted(tests_dir.glob("**/matrix*.py")):
        if path.parent == tests_dir:
            continue  # tests/matrix.py is the shared vocabulary, not rows
        dotted = ".".join(path.relative_to(tests_dir).with_suffix("").parts)
        module = importlib.import_module(f"tests.{dotted}")
        for name, rule in module.ROWS.items():
            assert name not in rows, f"{name} has two rows in the matrix"
            rows[name] = rule
    return rows


MATRIX = _load_rows()


def _project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in EXEMPT_NAMESPACES:
                    continue
                inner = entry.namespace or namespace
                if entry.namespace and namespace:
                    inner = f"{namespace}:{entry.namespace}"
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                module = getattr(entry.callback, "__module__", "")
                if module.startswith(EXEMPT_MODULE_PREFIXES) or not entry.name:
                    continue
                names.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_of_the_project_has_a_row_in_the_matrix():
    missing = _project_url_names() - set(MATRIX) - PENDING
    assert not missing, f"Add these URLs to MATRIX with who may use them: {sorted(missing)}"


# URLs not yet given a row (none: every view has one).
PENDING: set[str] = set()


def _request(client, name: str, rule: Rule, world: World):
    url = reverse(name, args=rule.args(world)) + rule.query
    if rule.method == "post":
        return client.post(url, rule.data(world))
    return client.get(url)


def _denials() -> int:
    return AccessEvent.objects.filter(action=AccessAction.DENIED).count()


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_the_answer_the_matrix_expects(world_with_carers, name):
    world = world_with_carers
    rule = MATRIX[name]
    wrong = []
    for persona in PERSONAS + CARER_PERSONAS:
        expected = (
            rule.allowed_status
            if persona in rule.allowed
            else 403
            if persona in rule.forbidden
            else rule.carer_status
            if persona in CARER_PERSONAS
            else 404
        )
        denials_before = _denials()
        response = _request(client_for(world.users[persona]), name, rule, world)
        if response.status_code != expected:
            wrong.append(f"{persona}: expected {expected}, got {response.status_code}")
        elif response.status_code in (403, 404) and (written := _denials() - denials_before) != 1:
            # A refusal that leaves no trace hides probing; two rows would double-count it.
            wrong.append(f"{persona}: refused with {expected}, wrote {written} denials (not 1)")
    anonymous = _request(client_for(None), name, rule, world)
    if anonymous.status_code != rule.anonymous_status:
        wrong.append(f"anonymous: expected {rule.anonymous_status}, got {anonymous.status_code}")
    assert not wrong, f"{name}: " + "; ".join(wrong)
