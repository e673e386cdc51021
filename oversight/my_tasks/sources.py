"""The notifications a person receives through the outbox, addressed to them as a user.

Each outbox message with a ``recipient`` user and a ``read_at`` is listed on that person's
tasks page until they mark it read. What is shown is the email's subject and a link to the
record: like the email, no detail of it and no child's name.
"""

from dataclasses import dataclass

from django.urls import reverse

from core.outbox import OutboxMessage
from dpo.models import BreachNotification
from safeguarding.models import ActionOverdueNotice, Notification, ReferralOverdueNotice


@dataclass(frozen=True, slots=True)
class NotificationSource:
    slug: str  # in the URL that marks one read
    model: type[OutboxMessage]
    about: str  # the foreign key to the record it links to
    url_name: str
    about_a_pupil: bool  # marking it read is audited with the pupil it is about

    def link(self, notification: OutboxMessage) -> str:
        return reverse(self.url_name, args=[getattr(notification, f"{self.about}_id")])


NOTIFICATION_SOURCES: dict[str, NotificationSource] = {
    source.slug: source
    for source in (
        NotificationSource("concern", Notification, "concern", "safeguarding:concern_detail", True),
        NotificationSource(
            "action-overdue", ActionOverdueNotice, "concern", "safeguarding:concern_detail", True
        ),
        NotificationSource(
            "referral-overdue",
            ReferralOverdueNotice,
            "concern",
            "safeguarding:concern_detail",
            True,
        ),
        NotificationSource("breach", BreachNotification, "breach", "dpo:breach_detail", False),
    )
}
