"""Reads for the tasks page, the home page's summary and the menu's count.

The count is one SQL statement (a scalar subquery per kind of task), worked out once per
request and kept on the user object, so the menu, on every page, costs one query. The page
costs that statement plus one capped list per kind, whatever the number of tasks.

Who sees what is not decided here: each kind reuses the scope its own app already gates by
(concerns and referrals through the pupils a person sees as the DSL team, case flags through
the cases they see), so the list never shows a pupil the person may not see.
"""

from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, QuerySet, Subquery, Value, When

from accounts.models import User
from cases.flags.selectors import case_url, open_flags_for
from cases.models import Flag
from oversight.my_tasks.permissions import has_tasks_page
from oversight.my_tasks.sources import NOTIFICATION_SOURCES
from safeguarding.dashboard.selectors import URGENCY_ORDER, concern_path
from safeguarding.models import Action, Concern, ConcernStatus, ReferralFlag, TransferFlag
from safeguarding.visibility import concerns_visible_to
from schools.calendar import today
from schools.permissions import DSL_ROLES, pupils_visible_to

LIST_LIMIT = 100
KINDS = ("actions", "flags", "concerns", "referrals", "transfers", "notifications")


def transfers_to_make(user: object) -> QuerySet[TransferFlag]:
    """Leavers' child-protection files still to send or not yet received, for the DSL team of
    the leaver's site (KCSIE: within five school days)."""
    return (
        TransferFlag.objects.filter(
            resolved_at__isnull=True,
            leaving__pupil__in=pupils_visible_to(user, roles=DSL_ROLES),
        )
        .select_related("leaving__pupil")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def my_actions(user: object) -> QuerySet[Action]:
    """Actions assigned to this person, not yet done, on open concerns they may still see."""
    return Action.objects.filter(
        who_id=user.pk, done_on__isnull=True, concern__in=concerns_visible_to(user)
    ).exclude(concern__status=ConcernStatus.CLOSED)


def awaiting_acknowledgement(user: object) -> QuerySet[Concern]:
    """Concerns not yet acknowledged, for the DSL team of the pupil's site."""
    return Concern.objects.filter(
        status=ConcernStatus.RAISED, pupil__in=pupils_visible_to(user, roles=DSL_ROLES)
    )


def referrals_to_chase(user: object) -> QuerySet[ReferralFlag]:
    """Referrals awaiting a response past their date, for the DSL team of the pupil's site."""
    return ReferralFlag.objects.filter(
        resolved_at__isnull=True,
        referral__concern__pupil__in=pupils_visible_to(user, roles=DSL_ROLES),
    )


def unread_notifications(user: object, model: type) -> QuerySet:
    return model.objects.filter(recipient_id=user.pk, read_at__isnull=True)


class _RowCount(Subquery):
    """COUNT(*) of a queryset as a scalar subquery; 0 for a queryset known to be empty."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()
    empty_result_set_value = 0


@dataclass(frozen=True, slots=True)
class TaskCounts:
    actions: int = 0
    flags: int = 0
    concerns: int = 0
    referrals: int = 0
    transfers: int = 0
    notifications: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, kind) for kind in KINDS)


NO_TASKS = TaskCounts()


def task_counts(user: object) -> TaskCounts:
    """How many of each kind of task: one statement, once per request."""
    if not getattr(user, "is_authenticated", False) or not has_tasks_page(user):
        return NO_TASKS
    cached = getattr(user, "_task_counts", None)
    if cached is not None:
        return cached
    unread = {
        f"unread_{source.slug}": _RowCount(unread_notifications(user, source.model).values("pk"))
        for source in NOTIFICATION_SOURCES.values()
    }
    row = (
        User.objects.filter(pk=user.pk)
        .values(
            actions=_RowCount(my_actions(user).values("pk")),
            flags=_RowCount(open_flags_for(user).values("pk")),
            concerns=_RowCount(awaiting_acknowledgement(user).values("pk")),
            referrals=_RowCount(referrals_to_chase(user).values("pk")),
            transfers=_RowCount(transfers_to_make(user).values("pk")),
            **unread,
        )
        .first()
    ) or {}
    counts = TaskCounts(
        actions=row.get("actions", 0),
        flags=row.get("flags", 0),
        concerns=row.get("concerns", 0),
        referrals=row.get("referrals", 0),
        transfers=row.get("transfers", 0),
        notifications=sum(row.get(name, 0) for name in unread),
    )
    user._task_counts = counts
    return counts


def forget_task_counts(user: object) -> None:
    if hasattr(user, "_task_counts"):
        del user._task_counts


def task_count(user: object) -> int:
    """The menu's number."""
    return task_counts(user).total


@dataclass
class MyTasks:
    counts: TaskCounts
    actions: list[Action] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    referrals: list[ReferralFlag] = field(default_factory=list)
    transfers: list = field(default_factory=list)
    notifications: list[dict[str, object]] = field(default_factory=list)
    limit: int = LIST_LIMIT


def _urgency_rank() -> Case:
    return Case(
        *[When(urgency=u.value, then=Value(n)) for n, u in enumerate(URGENCY_ORDER)],
        default=Value(len(URGENCY_ORDER)),
        output_field=IntegerField(),
    )


def my_tasks_for(user: object) -> MyTasks:
    """Everything on the page: the counts, then one capped list per kind."""
    day = today()
    tasks = MyTasks(counts=task_counts(user))

    tasks.actions = list(
        my_actions(user)
        .select_related("concern__pupil__school_class")
        .order_by(F("due_on").asc(nulls_last=True), "recorded_at", "pk")[:LIST_LIMIT]
    )
    for action in tasks.actions:
        action.page_url = concern_path(action.concern_id)
        action.overdue = action.due_on is not None and action.due_on < day

    tasks.flags = list(
        open_flags_for(user)
        .select_related("case__pupil__school_class")
        .order_by("period", "pk")[:LIST_LIMIT]
    )
    for flag in tasks.flags:
        flag.url = case_url(flag.case)

    tasks.concerns = list(
        awaiting_acknowledgement(user)
        .annotate(urgency_rank=_urgency_rank())
        .select_related("pupil__school_class", "category")
        .order_by("urgency_rank", "raised_at", "pk")[:LIST_LIMIT]
    )
    for concern in tasks.concerns:
        concern.page_url = concern_path(concern.pk)

    tasks.referrals = list(
        referrals_to_chase(user)
        .select_related("referral__concern__pupil__school_class")
        .order_by("due_on", "pk")[:LIST_LIMIT]
    )
    for flag in tasks.referrals:
        flag.page_url = concern_path(flag.referral.concern_id)

    tasks.transfers = list(transfers_to_make(user)[:LIST_LIMIT])

    notifications = []
    for source in NOTIFICATION_SOURCES.values():
        for notification in unread_notifications(user, source.model).order_by("-created_at")[
            :LIST_LIMIT
        ]:
            notifications.append(
                {
                    "slug": source.slug,
                    "pk": notification.pk,
                    "subject": notification.email_subject(),
                    "url": source.link(notification),
                    "created_at": notification.created_at,
                }
            )
    notifications.sort(key=lambda n: n["created_at"], reverse=True)
    tasks.notifications = notifications[:LIST_LIMIT]
    return tasks
