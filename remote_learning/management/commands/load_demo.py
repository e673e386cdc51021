from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD
from cases.demo import cases_demo_load
from contacts.demo import directory_demo_load
from declarations.demo import declarations_demo_load
from dpo.demo import breaches_demo_load
from families.demo import DEMO_CARER_LABEL, families_demo_load
from governance.demo import governance_demo_load
from itsupport.demo import itsupport_demo_load
from schools.demo import DEMO_LOGINS, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo school (Larkspur Valley School), its pupils, families, calendar and "
        "staff logins. Safe to run again: it changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo data even with DEBUG off (for a throwaway demo server only).",
        )

    def handle(self, *args: object, allow_production: bool = False, **options: object) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusing to load demo logins with DEBUG off.")
        school = demo_load()
        directory_demo_load(school)
        cases_demo_load(school)
        breaches_demo_load(school)
        itsupport_demo_load(school)
        governance_demo_load(school)
        declarations_demo_load()
        carer = families_demo_load(school)
        self.stdout.write(
            self.style.SUCCESS(
                f"{school.name} is loaded: {school.pupils.count()} pupils across "
                f"{school.sites.count()} sites. Sign in as:"
            )
        )
        logins = [*DEMO_LOGINS, *([(DEMO_CARER_LABEL, carer.email)] if carer else [])]
        width = max(len(label) for label, _ in logins)
        for label, email in logins:
            self.stdout.write(f"  {label:<{width}}  {email}")
        self.stdout.write(f"Every login's password is {DEMO_PASSWORD}")
        self.stdout.write(
            "Codes for the second step: make totp (or the secrets in README.md); the parent's "
            "login has no second step, and can also sign in with a code shown here by email."
        )
