"""The 72-hour clock to tell the ICO about a breach, as shown wherever a breach appears.

The deadline is computed exactly in UTC (72 real hours after discovery) and shown in
Europe/London, so a clock change in between shifts the wall-clock time shown, never the
deadline itself.
"""

import datetime
from dataclasses import dataclass

from django.utils import dateformat, timezone

from dpo.models import Breach, BreachDecision

HOUR = datetime.timedelta(hours=1)
WARNING_WITHIN = datetime.timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Clock:
    text: str
    state: str  # "running", "warning", "overdue" or "decided": a CSS hint for the badge

    @property
    def css(self) -> str:
        return {
            "running": "text-bg-info",
            "warning": "text-bg-warning",
            "overdue": "text-bg-danger",
            "decided": "text-bg-secondary",
        }[self.state]


def _local(moment: datetime.datetime, fmt: str) -> str:
    return dateformat.format(timezone.localtime(moment), fmt)


def _duration(delta: datetime.timedelta) -> str:
    """Whole hours, or minutes in the last hour."""
    if delta >= HOUR:
        return f"{int(delta // HOUR)} h"
    return f"{int(delta.total_seconds() // 60)} min"


def clock_for(breach: Breach, *, now: datetime.datetime | None = None) -> Clock:
    now = now or timezone.now()
    if breach.decision == BreachDecision.NOT_REPORTABLE:
        return Clock("decided: not reportable", "decided")
    if breach.decision == BreachDecision.REPORTABLE:
        if breach.reported_to_ico_on:
            return Clock(
                f"decided: reportable, reported {breach.reported_to_ico_on:%d/%m/%Y}", "decided"
            )
        text = "decided: reportable, not yet reported"
        if now > breach.deadline:
            return Clock(f"{text} (overdue by {_duration(now - breach.deadline)})", "overdue")
        return Clock(f"{text} (by {_local(breach.deadline, 'D d/m/Y H:i')})", "warning")
    deadline = f"Report to the ICO by {_local(breach.deadline, 'D d/m/Y H:i')}"
    if now > breach.deadline:
        return Clock(f"{deadline} — overdue by {_duration(now - breach.deadline)}", "overdue")
    left = breach.deadline - now
    return Clock(
        f"{deadline} — {_duration(left)} left", "warning" if left <= WARNING_WITHIN else "running"
    )
