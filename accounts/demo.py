"""Demo staff accounts with known passwords and TOTP secrets, for trying the service out.

Only ever loaded by `manage.py load_demo`, which refuses to run with DEBUG off.
"""

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "Remote-Learning-Demo-2026!"
DEMO_EMAIL_DOMAIN = "demo-school.example"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    email: str
    full_name: str
    totp_secret: str
    is_admin: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        email=f"admin@{DEMO_EMAIL_DOMAIN}",
        full_name="Morgan Ashdown",
        totp_secret="77DKR64ZZOSXVBHCLTWTRYHNYDXI2EH6",
        is_admin=True,
    ),
    DemoAccount(
        email=f"teacher@{DEMO_EMAIL_DOMAIN}",
        full_name="Robin Fairweather",
        totp_secret="KZXW6YTJNZTGC2LSO5SWC5DIMVZDEMBS",
    ),
)


@transaction.atomic
def demo_accounts_load() -> list[User]:
    """Create the demo accounts, or leave them as they are: a second load changes nothing."""
    users = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=account.email).first()
        if user is None:
            user = User.objects.create_user(
                email=account.email,
                password=DEMO_PASSWORD,
                full_name=account.full_name,
                is_staff=account.is_admin,
                is_superuser=account.is_admin,
            )
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, account.totp_secret)
        users.append(user)
    return users
