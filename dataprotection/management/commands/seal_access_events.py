"""Seal the access events recorded since the last seal (normally done every 15 minutes by
the scheduler). Running it again with nothing new makes no seal."""

from django.core.management.base import BaseCommand

from dataprotection.seals.services import audit_seal_all


class Command(BaseCommand):
    help = "Seal the access events not yet sealed (older than one minute)."

    def handle(self, *args: object, **options: object) -> None:
        made = audit_seal_all()
        self.stdout.write(self.style.SUCCESS(f"Made {made} seal{'s' if made != 1 else ''}."))
