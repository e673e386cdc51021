import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Print the current two-step verification code of each demo login."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo codes are for development only (DEBUG is off).")
        counter = int(time.time()) // 30
        seconds_left = 30 - int(time.time()) % 30
        for account in DEMO_ACCOUNTS:
            code = format_hotp_value(hotp_value(account.totp_secret, counter))
            self.stdout.write(f"{code}  {account.email}")
        self.stdout.write(f"(valid for another {seconds_left} seconds)")
