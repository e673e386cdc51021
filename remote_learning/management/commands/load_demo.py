from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_load


class Command(BaseCommand):
    help = "Load the demo school and its staff logins. Safe to run again: it changes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo data even with DEBUG off (for a throwaway demo server only).",
        )

    def handle(self, *args: object, allow_production: bool = False, **options: object) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusing to load demo logins with DEBUG off.")
        demo_accounts_load()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Sign in with:"))
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email}  password {DEMO_PASSWORD}")
        self.stdout.write("  Codes for the second step: make totp (or the secrets in README.md)")
