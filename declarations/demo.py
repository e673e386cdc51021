"""Demo device declarations: most demo staff have declared, so the demo school's compliance
page has something to show. Two are left to show the other states: one teacher who has not
declared yet (the reminder, then the gate), and the IT technician's new laptop, which is not
encrypted yet (an open task on the compliance page). Loading twice changes nothing."""

import datetime

from django.utils import timezone

from accounts.demo import DEMO_ACCOUNTS, DEMO_EMAIL_DOMAIN
from accounts.models import User
from core.actor import Actor
from declarations.models import DeclarationItem
from declarations.services import Answer, declaration_submit

NOT_DECLARED_YET = f"teacher.oak@{DEMO_EMAIL_DOMAIN}"
CANNOT_CONFIRM = {
    f"it@{DEMO_EMAIL_DOMAIN}": (
        DeclarationItem.ENCRYPTED,
        "New laptop arrived this week; encryption is booked for Friday.",
    )
}
# Governors see only aggregates, so they are not asked to declare.
NOT_ASKED = ("governor", "chair")


def declarations_demo_load(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    emails = [
        account.email
        for account in DEMO_ACCOUNTS
        if not account.is_admin
        and account.email != NOT_DECLARED_YET
        and not account.email.startswith(NOT_ASKED)
    ]
    users = User.objects.filter(email__in=emails).exclude(device_declarations__isnull=False)
    made = 0
    for number, user in enumerate(users.order_by("email")):
        answers = {item: Answer(confirmed=True) for item in DeclarationItem.values}
        device = "School laptop"
        if user.email in CANNOT_CONFIRM:
            item, reason = CANNOT_CONFIRM[user.email]
            answers[item] = Answer(confirmed=False, reason=reason)
            device = "School laptop (new)"
        # Spread over the year, so some fall due soon after the demo is loaded.
        declared_at = now - datetime.timedelta(days=(number * 37) % 360)
        declaration_submit(
            actor=Actor.for_user(user), device_description=device, answers=answers, at=declared_at
        )
        made += 1
    return made
