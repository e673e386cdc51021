"""The README and the deployment files stay true to the code."""

import re
from pathlib import Path

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

PROJECT_DIR = Path(__file__).resolve().parents[2]
SETTINGS = (PROJECT_DIR / "remote_learning" / "settings.py").read_text()
README = (PROJECT_DIR / "README.md").read_text()
COMPOSE = (PROJECT_DIR / "docker-compose.yml").read_text()
DOCKERFILE = (PROJECT_DIR / "Dockerfile").read_text()


def variables_read_by_settings() -> set[str]:
    return set(re.findall(r'env_(?:str|bool|int|list|required)\(\s*"([A-Z0-9_]+)"', SETTINGS))


def documented_variables() -> set[str]:
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", section, re.MULTILINE))


def compose_app_variables() -> set[str]:
    block = COMPOSE.split("environment: &app-environment\n", 1)[1]
    names = []
    for line in block.splitlines():
        if not line.startswith("    "):
            break
        names.append(line.strip().split(":", 1)[0])
    return set(names)


def test_settings_read_the_variables_we_expect_to_find():
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "SESSION_IDLE_TIMEOUT"} <= (
        variables_read_by_settings()
    )


def test_the_readme_documents_every_environment_variable_the_settings_read():
    assert variables_read_by_settings() - documented_variables() == set()


def test_the_readme_documents_no_variable_the_settings_ignore():
    assert documented_variables() - variables_read_by_settings() == set()


def test_the_readme_lists_every_demo_login_with_its_secret():
    assert f"`{DEMO_PASSWORD}`" in README
    for account in DEMO_ACCOUNTS:
        assert f"| `{account.email}` | `{account.totp_secret}` |" in README, account.email


def test_docker_compose_only_sets_variables_the_settings_read():
    names = compose_app_variables()

    assert "DJANGO_SECRET_KEY" in names
    assert names - variables_read_by_settings() == set()


def test_docker_compose_runs_production_with_secrets_from_the_environment():
    assert 'DJANGO_DEBUG: "false"' in COMPOSE
    assert "DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?" in COMPOSE
    assert "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?" in COMPOSE


def test_the_image_runs_as_an_unprivileged_user():
    user_lines = [line for line in DOCKERFILE.splitlines() if line.startswith("USER ")]

    assert user_lines and user_lines[-1] != "USER root"
