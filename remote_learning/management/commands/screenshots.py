"""Pictures of each role's home page on a phone and on a desk, so anyone can look at them.

Serves the site from this process on a free local port, against the configured (demo)
database, signs each demo person in by making their session directly (no password or code is
typed), and saves ``var/screenshots/home-<role>-<width>.png`` with the machine's Chromium.
"""

import os
import shutil
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.test import Client

from accounts.demo import DEMO_EMAIL_DOMAIN
from accounts.models import User

# One demo login for each role whose home page differs.
ROLES = (
    ("teacher", "teacher.acorn"),
    ("class-staff", "ta.acorn"),
    ("slt", "slt.north"),
    ("head", "head"),
    ("dsl", "dsl.north"),
    ("deputy-dsl", "deputy.dsl.south"),
    ("it", "it"),
    ("dpo", "dpo"),
    ("family-support", "family.north"),
    ("governor", "governor"),
)
WIDTHS = ((390, 844), (1280, 900))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--lang=en-GB"]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def session_cookie_for(user: User) -> str:
    """A signed-in session for this person, made directly, as the test client makes one."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Command(BaseCommand):
    help = "Save each role's home page at 390 px and 1280 px wide into var/screenshots/."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", default=str(settings.VAR_DIR / "screenshots"))
        parser.add_argument(
            "--path", default="/", help="The page to picture for each role (default: home)."
        )

    def handle(self, *args: object, out: str, path: str, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("Refusing to sign demo people in with DEBUG off.")
        browser_path = chromium_path()
        if browser_path is None:
            raise CommandError("Chromium is not installed (apt-get install chromium).")
        emails = {f"{login}@{DEMO_EMAIL_DOMAIN}": role for role, login in ROLES}
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        if not users:
            raise CommandError("No demo logins found: run `make demo` first.")
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)

        server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=True)
        server.set_app(StaticFilesHandler(get_wsgi_application()))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        saved = 0
        try:
            from playwright.sync_api import sync_playwright

            # Playwright's sync API keeps an event loop in this thread; the ORM calls made
            # between pages are ordinary synchronous code.
            os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=browser_path, headless=True, args=CHROMIUM_ARGS
                )
                for email, role in emails.items():
                    user = users.get(email)
                    if user is None:
                        self.stderr.write(f"No demo login {email}: skipped.")
                        continue
                    cookie = session_cookie_for(user)
                    for width, height in WIDTHS:
                        context = browser.new_context(
                            base_url=base,
                            locale="en-GB",
                            timezone_id="Europe/London",
                            viewport={"width": width, "height": height},
                            is_mobile=width < 768,
                            has_touch=width < 768,
                        )
                        context.add_cookies(
                            [
                                {
                                    "name": settings.SESSION_COOKIE_NAME,
                                    "value": cookie,
                                    "url": base,
                                }
                            ]
                        )
                        page = context.new_page()
                        page.goto(path)
                        page.wait_for_load_state("networkidle")
                        target = out_dir / f"home-{role}-{width}.png"
                        page.screenshot(path=str(target), full_page=True)
                        context.close()
                        saved += 1
                        self.stdout.write(f"  {target}")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
        self.stdout.write(self.style.SUCCESS(f"{saved} screenshots saved in {out_dir}"))
