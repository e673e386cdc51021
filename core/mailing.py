"""Email to families: one message per address, so no family ever sees another's address.

Policy 5.2: "When sending emails to multiple recipients, blind carbon copy (BCC) will be used
so email addresses are not visible". One message each goes further than BCC: there is no
recipient list at all, not even in the envelope a mail server might log or bounce back. The
outbox (core.outbox) sends each family's copy as its own email to that one address.
"""

GREETING = "Dear parent or carer,"


def family_body(body: str, *, school_name: str) -> str:
    """The text of a message to a family.

    It carries the minimum personal data: no child's or carer's name is added, and the
    greeting is the same for every family.
    """
    return (
        f"{GREETING}\n\n{body.strip()}\n\n{school_name}\n\n"
        "This message was sent to each family separately. Please do not reply with personal "
        "information about your child by email; contact the school by telephone instead."
    )
