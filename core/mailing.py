"""Email to families: one message per address, so no family ever sees another's address.

Policy 5.2: "When sending emails to multiple recipients, blind carbon copy (BCC) will be used
so email addresses are not visible". One message each goes further than BCC: there is no
recipient list at all, not even in the envelope a mail server might log or bounce back.
"""

from django.core.mail import EmailMessage, mailers

GREETING = "Dear parent or carer,"


def family_email(*, subject: str, body: str, address: str, school_name: str) -> EmailMessage:
    """The message for exactly one family address: To is that address alone, no CC, no BCC.

    It carries the minimum personal data: no child's or carer's name is added, and the
    greeting is the same for every family.
    """
    text = (
        f"{GREETING}\n\n{body.strip()}\n\n{school_name}\n\n"
        "This message was sent to each family separately. Please do not reply with personal "
        "information about your child by email; contact the school by telephone instead."
    )
    return EmailMessage(subject=subject, body=text, to=[address])


def send_one(message: EmailMessage) -> None:
    """Send one message through the default mailer; errors reach the caller to retry."""
    if len(message.recipients()) != 1:  # a guard for future callers: never a shared list
        raise ValueError("A family email must have exactly one recipient.")
    mailers.default.send_messages([message])
