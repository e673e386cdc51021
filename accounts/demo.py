"""Demo logins with a known password and known TOTP secrets, for trying the service out.

Only ever loaded by `manage.py load_demo`, which refuses to run with DEBUG off. Every person
here is invented; what each of them does at the demo school is set out in schools/demo.py.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
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


def _account(local_part: str, full_name: str, totp_secret: str) -> DemoAccount:
    return DemoAccount(f"{local_part}@{DEMO_EMAIL_DOMAIN}", full_name, totp_secret)


ADMIN_ACCOUNT = DemoAccount(
    email=f"admin@{DEMO_EMAIL_DOMAIN}",
    full_name="Morgan Ashdown",
    totp_secret="77DKR64ZZOSXVBHCLTWTRYHNYDXI2EH6",
    is_admin=True,
)

# Every demo login: the administrator, then the school's staff and governors. The secrets are
# fixed (32 base32 characters) so that `make totp` and the README can show them.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    ADMIN_ACCOUNT,
    _account("head", "Helen Marchbank", "TH2PNASGS2BUWVY3UA7IXL23Y7PZC7C3"),
    _account("slt.north", "Gareth Penhallow", "TKIAHRKRBXG4NKIM6RQFA6QGERYCZZX6"),
    _account("lead.primary", "Anjali Mistry", "GBJVQNZZYAJN6RDNKWTBDRAZDCZM2TTJ"),
    _account("lead.secondary", "Callum Brodie", "PSRZBLDTUI4ZOMHCNMJS44TYTE2SAKBM"),
    _account("lead.post16", "Bethan Lloyd-Evans", "N472B5ZEN2JKUT56BMCKA73LNY45LTKU"),
    _account("teacher.acorn", "Leanne Moffat", "POM23XQPDQIVRCC3RMYDFBU7XACP3HEW"),
    _account("teacher.willow", "Samuel Okonjo", "NEPG2JMG3Z4R47MQUDDSEYFTRKY3RBSZ"),
    _account("teacher.oak", "Robin Fairweather", "KZXW6YTJNZTGC2LSO5SWC5DIMVZDEMBS"),
    _account("teacher.rowan", "Hannah Pryce", "Y3V6FAAXG32TNRNQZ2RTSGOYIMR45EDP"),
    _account("teacher.birch", "Daniel Kowalski", "DSRNP7CGH63AYMX3BGVQTQU6M36R5GT5"),
    _account("teacher.hazel", "Megan Thwaite", "NAEKVF7WZXN5BUFETG7ELNW4QEPXFJDV"),
    _account("teacher.post16", "Ravinder Sahota", "UH5VWITKC6APMOUZ2MRCXGPDWBPFSTPE"),
    _account("ta.acorn", "Carol Ashby", "3SQVKOXIXGOJH2WFKDDZWGL4OTUJVSSW"),
    _account("ta.primary", "Zainab Hussain", "KSYJG6OQOLJX4DUZOJK2FD7LTDOOWUY6"),
    _account("ta.rowan", "Liam Fletcher", "VRV3UVFCSI3ZAWECZX3JCQE4HV3BBVTO"),
    _account("ta.birch", "Sophie Marsh", "ZLQQG4EYNU4JKHNLWQE7GL3HB2ZRWICT"),
    _account("ta.hazel", "Kerry Dunmore", "7KGMDQLFQNHUR6RE335R3A763U3V23KA"),
    _account("ta.cedar", "Ellis Tremayne", "6LIQ74TDWSTZS23PGVALFUMJQ67XO6EI"),
    _account("ta.maple", "Nadia Kowalczyk", "PCDUFOBLLEVBVKH7AEI7KXJM4FJ6DY5N"),
    _account("dsl.north", "Siobhan Delaney", "KODPBAQDXFLTZCNEWF4B2P2IR2XULGG6"),
    _account("dsl.south", "Marcus Oyelaran", "7L5PZBOXRZP4VEFNJ3Q3X4FFHCFEUTGO"),
    _account("deputy.dsl.north", "Kirsty Halloran", "EFJKPCALB2ARCHCX7HLO2BTSVNJ6U4H6"),
    _account("deputy.dsl.south", "Yusuf Chaudhry", "KFX5S4IRA2HWG3HWX5TN5EF3SHOIMKST"),
    _account("it", "Owain Pritchard", "3Z4GW7XRGUVND6HHKO5F7ZNS7F6GV2FQ"),
    _account("dpo", "Rosalind Greaves", "4QZDCCJEJX4TOZWKDMAIU2LHLOG6K74B"),
    _account("family.north", "Jo Whitlock", "NUNHQV75BGBE4YXSYYRXQSGYISX7A2EG"),
    _account("family.south", "Aisha Bello", "YUSWWUM6U4Y575PD4Z7EIPC3QYO47462"),
    _account("nurse.north", "Fiona McCrae", "4JGKHOYECGCOEBLKIBPV5KQERDALU457"),
    _account("nurse.south", "Grace Adeyemi", "GHFZZ7DPWIUWRPMNA4G4E3RNDNYESA4L"),
    _account("governor", "Hugh Ellery", "JHL7EQR7KM7MBVFN4THXOQX2OHK72CLB"),
    _account("governor.safeguarding", "Niamh Brennan", "3CLNT774F4WR7G4WLW6V3UAKZOEMK5IL"),
    _account("chair", "Colin Featherstone", "6N6ZFDJFIIRVT4HTEX7XLCNXBI6SM54A"),
)


@transaction.atomic
def demo_accounts_ensure(accounts: Iterable[DemoAccount]) -> dict[str, User]:
    """These demo logins by email, each created with the demo password and a TOTP authenticator
    when missing. A login that exists is left as it is, so a second load changes nothing.
    """
    accounts = list(accounts)
    users = {
        user.email: user for user in User.objects.filter(email__in=[a.email for a in accounts])
    }
    missing = [account for account in accounts if account.email not in users]
    if missing:
        # Hashing is slow on purpose; every demo login shares one published password anyway.
        password = make_password(DEMO_PASSWORD)
        for account in missing:
            user = User(
                email=account.email,
                full_name=account.full_name,
                password=password,
                is_staff=account.is_admin,
                is_superuser=account.is_admin,
            )
            user.full_clean()
            user.save()
            users[user.email] = user
    with_totp = set(
        Authenticator.objects.filter(
            user__in=list(users.values()), type=Authenticator.Type.TOTP
        ).values_list("user_id", flat=True)
    )
    for account in accounts:
        user = users[account.email]
        if user.pk not in with_totp:
            TOTP.activate(user, account.totp_secret)
    return users


def demo_account_ensure(
    *, email: str, full_name: str, totp_secret: str, is_admin: bool = False
) -> User:
    """One demo login (see demo_accounts_ensure)."""
    account = DemoAccount(email, full_name, totp_secret, is_admin)
    return demo_accounts_ensure([account])[email]


def demo_accounts_load() -> dict[str, User]:
    """Every demo login, by email."""
    return demo_accounts_ensure(DEMO_ACCOUNTS)
