"""Printing a pupil's safeguarding chronology (issue 16).

A print is asked for on a page (``chronology_print_request``), drawn by a Celery task
(``chronology_print_render``, idempotent: only a queued print is taken) and kept in the
database for ``CHRONOLOGY_PRINT_RETENTION_DAYS`` days, then deleted by the sweep. The PDF
renders whatever ``chronology_for`` returns, by kind, so a new kind of entry needs no change
here beyond, at most, a label. A "for sharing" print replaces names by roles and waits for a
member of the DSL team to confirm the list before it can be downloaded.
"""

import datetime
import logging
import traceback
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from core.dates import period_errors
from core.pdf import render_pdf
from core.queue import enqueue_on_commit
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.chronology.redaction import Redactor, redactor_for
from safeguarding.models import ChronologyPrint, ConcernCategory, PrintStatus
from safeguarding.selectors import ChronologyEntry, chronology_for
from schools.calendar import today as school_today
from schools.models import Pupil
from schools.permissions import DSL_ROLES, pupil_access

logger = logging.getLogger(__name__)

FAILED_MESSAGE = (
    "The PDF could not be made. Try again; if it fails again, ask IT to check the logs."
)
STOPPED_MESSAGE = "The PDF stopped before it was finished. Try again."

# What each kind of entry is called when choosing what to print. A kind not listed here is
# still printed, under a label made from its name.
KIND_LABELS = {
    "concern": "Concerns raised",
    "named_in_concern": "Named in a concern about another pupil",
    "acknowledged": "Concerns acknowledged",
    "action": "Actions",
    "decision": "Discussions and decisions, with reasons",
    "referral": "Referrals",
    "referral_response": "Responses to referrals",
    "referral_chase": "Referrals chased",
    "addendum": "Addenda",
    "closed": "Concerns closed",
    "notification": "Who was notified",
    "home_visit": "Home visits",
    "social_worker": "Social worker informed",
    "involvement": "Other agencies involved",
    "contact": "Contacts with the family",
    "case_status": "Case status changes",
    "agreement": "Agreements to the case",
    "review": "Case reviews",
    "reintegration_plan": "Reintegration plan versions",
    "contact_plan": "Contact plan versions",
    "document": "Documents attached",
    "body_map": "Body map marks",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()


def retention_days() -> int:
    return int(getattr(settings, "CHRONOLOGY_PRINT_RETENTION_DAYS", 7))


def category_choices(pupil: Pupil, *, viewer: object) -> list[tuple[int, str]]:
    """The categories of the pupil's school, inactive ones too (old concerns keep theirs);
    those kept for the DSL team only, for the DSL team only."""
    categories = ConcernCategory.objects.filter(school_id=pupil.school_id)
    if not pupil_access(viewer, pupil).roles & DSL_ROLES:
        categories = categories.filter(dsl_team_only=False)
    return list(categories.order_by("name").values_list("pk", "name"))


def words_from(text: str) -> list[str]:
    """Extra words to replace, one a line (or separated by commas), without repeats."""
    seen: dict[str, str] = {}
    for part in text.replace(",", "\n").splitlines():
        word = " ".join(part.split())
        if word:
            seen.setdefault(word.casefold(), word)
    return list(seen.values())


@transaction.atomic
def chronology_print_request(
    *,
    actor: Actor,
    pupil: Pupil,
    start: datetime.date,
    end: datetime.date,
    category_ids: list[int],
    kinds: list[str],
    for_sharing: bool,
    extra_words: list[str],
) -> ChronologyPrint:
    """Queue a print of this pupil's chronology. The gate has already let ``actor`` read it."""
    errors = period_errors(start, end, school_today())
    known = {pk for pk, _ in category_choices(pupil, viewer=actor.user)}
    if set(category_ids) - known:
        errors["categories"] = "Choose categories from the list."
    if set(kinds) - set(KIND_LABELS):
        errors["kinds"] = "Choose kinds of entry from the list."
    if errors:
        raise ValidationError(errors)
    printed = ChronologyPrint(
        pupil=pupil,
        requested_by=actor.user,
        start=start,
        end=end,
        category_ids=sorted(set(category_ids)),
        kinds=sorted(set(kinds)),
        for_sharing=for_sharing,
        extra_words=extra_words if for_sharing else [],
        expires_at=timezone.now() + datetime.timedelta(days=retention_days()),
    )
    printed.full_clean()
    printed.save()
    _enqueue(printed.pk)
    return printed


def _enqueue(print_id: int) -> None:
    enqueue_on_commit("safeguarding.render_chronology_print", print_id)


@transaction.atomic
def chronology_print_words(
    *, actor: Actor, printed: ChronologyPrint, extra_words: list[str]
) -> ChronologyPrint:
    """Add words to a sharing print's list and make its PDF again; a release given before
    is withdrawn, since it was for another list."""
    if not printed.for_sharing or not printed.is_finished:
        raise ValidationError(
            {"extra_words": "Words can be added once the PDF for sharing has been made."}
        )
    words = {word.casefold(): word for word in [*printed.extra_words, *extra_words]}
    ChronologyPrint.objects.filter(pk=printed.pk).update(
        extra_words=list(words.values()),
        revision=printed.revision + 1,
        status=PrintStatus.QUEUED,
        content=None,
        error_message="",
        started_at=None,
        ready_at=None,
        confirmed_by=None,
        confirmed_at=None,
    )
    access_record(
        action=AccessAction.CHANGE,
        actor=actor,
        subject=printed,
        pupil_id=printed.pupil_id,
        detail=f"chronology print: {len(extra_words)} words added, revision={printed.revision + 1}",
    )
    _enqueue(printed.pk)
    printed.refresh_from_db()
    return printed


@transaction.atomic
def chronology_print_confirm(
    *, actor: Actor, printed: ChronologyPrint, revision: int
) -> ChronologyPrint:
    """Release a sharing print: the DSL team has checked what was replaced in this revision."""
    locked = ChronologyPrint.objects.select_for_update().defer("content").get(pk=printed.pk)
    if not locked.for_sharing or locked.status != PrintStatus.READY:
        raise ValidationError("Only a PDF for sharing that is ready can be released.")
    if locked.confirmed_at is not None:
        raise ValidationError("This PDF has already been released.")
    if locked.revision != revision:
        raise ValidationError(
            "The list changed since you looked at it: check it again before releasing the PDF."
        )
    locked.confirmed_by = actor.user
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["confirmed_by", "confirmed_at"])
    access_record(
        action=AccessAction.CHANGE,
        actor=actor,
        subject=locked,
        pupil_id=locked.pupil_id,
        detail=f"chronology print released for sharing, revision={locked.revision}",
    )
    return locked


# --- Drawing the PDF ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedEntry:
    """One line of the printed chronology, its text already replaced for a sharing version."""

    at: datetime.datetime
    kind: str
    title: str
    text: str
    detail: str
    by: str


def chosen_entries(printed: ChronologyPrint, entries: list[ChronologyEntry]) -> list:
    """The entries inside the period (Europe/London days), of the chosen categories (an entry
    not on a concern has none, so choosing categories leaves it out) and kinds."""
    categories = set(printed.category_ids)
    kinds = set(printed.kinds)
    return [
        entry
        for entry in entries
        if printed.start <= timezone.localdate(entry.at) <= printed.end
        and (not categories or entry.category_id in categories)
        and (not kinds or entry.kind in kinds)
    ]


def _by_name(person: object) -> str:
    if person is None:
        return ""
    return getattr(person, "full_name", "") or str(person)


def _texts(entries: list[ChronologyEntry]) -> list[str]:
    return [text for e in entries for text in (e.title, e.text, e.detail, _by_name(e.by)) if text]


def printed_entries(entries: list[ChronologyEntry], redactor: Redactor | None) -> list:
    def shown(text: str) -> str:
        return redactor.apply(text) if redactor else text

    return [
        PrintedEntry(
            entry.at,
            kind_label(entry.kind),
            shown(entry.title),
            shown(entry.text),
            shown(entry.detail),
            shown(_by_name(entry.by)),
        )
        for entry in entries
    ]


def chronology_print_context(
    printed: ChronologyPrint, *, now: datetime.datetime, name_others: bool = True
) -> dict:
    """What the PDF shows, the replacement list of a sharing version, and whether it holds a
    concern kept for the DSL team only. It holds what the person who asked for it may read;
    with ``name_others`` false (a file for another school), a concern about another pupil that
    names this one never names the other pupils."""
    viewer = printed.requested_by
    entries = chosen_entries(
        printed, chronology_for(printed.pupil, viewer=viewer, name_others=name_others)
    )
    redactor = None
    if printed.for_sharing:
        texts = _texts(entries)
        redactor = redactor_for(
            printed.pupil,
            texts=texts,
            extra_words=printed.extra_words,
            # Who recorded an entry may have left the school's staff since: still staff.
            recorders=[_by_name(e.by) for e in entries],
        )
        redactions = [vars(r) for r in redactor.redactions(texts)]
    else:
        redactions = []
    names = dict(category_choices(printed.pupil, viewer=viewer))
    context: dict[str, Any] = {
        "title": f"Safeguarding chronology: {printed.pupil}",
        "school_name": printed.pupil.school.name,
        "printed": printed,
        "pupil": printed.pupil,
        "entries": printed_entries(entries, redactor),
        "categories": [names[pk] for pk in printed.category_ids if pk in names],
        "kinds": [kind_label(kind) for kind in printed.kinds],
        "redacted_count": sum(r["count"] for r in redactions),
        "generated_at": now,
        "generated_by": _by_name(printed.requested_by) or printed.requested_by.email,
    }
    restricted = set(
        ConcernCategory.objects.filter(
            school_id=printed.pupil.school_id, dsl_team_only=True
        ).values_list("pk", flat=True)
    )
    return {
        "context": context,
        "redactions": redactions,
        "includes_dsl_team_only": any(e.category_id in restricted for e in entries),
    }


def chronology_print_render(*, print_id: int) -> ChronologyPrint | None:
    """Draw one queued print. Idempotent: a print already taken, finished or deleted is left
    alone, so a task delivered twice does nothing the second time."""
    claimed = ChronologyPrint.objects.filter(pk=print_id, status=PrintStatus.QUEUED).update(
        status=PrintStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    printed = ChronologyPrint.objects.select_related(
        "pupil__school", "pupil__school_class__site", "requested_by"
    ).get(pk=print_id)
    try:
        made = chronology_print_context(printed, now=timezone.now())
        content = render_pdf("safeguarding/pdf/chronology.html", made["context"])
    except Exception as exc:
        # The message may quote a child's record: log the type and the place only.
        where = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("Chronology print %s failed: %s\n%s", print_id, type(exc).__name__, where)
        ChronologyPrint.objects.filter(pk=print_id).update(
            status=PrintStatus.FAILED, error_message=FAILED_MESSAGE, content=None
        )
    else:
        ChronologyPrint.objects.filter(pk=print_id, status=PrintStatus.RUNNING).update(
            status=PrintStatus.READY,
            content=content,
            redactions=made["redactions"],
            includes_dsl_team_only=made["includes_dsl_team_only"],
            ready_at=timezone.now(),
        )
    printed.refresh_from_db()
    return printed


def chronology_prints_sweep(
    *,
    now: datetime.datetime | None = None,
    queued_for: datetime.timedelta = datetime.timedelta(minutes=5),
    running_for: datetime.timedelta = datetime.timedelta(hours=1),
) -> dict[str, int]:
    """Delete expired prints (one statement), close prints a dead worker left running, and
    send again the prints whose task the broker lost."""
    now = now or timezone.now()
    deleted, _ = ChronologyPrint.objects.filter(expires_at__lte=now).delete()
    stuck = ChronologyPrint.objects.filter(
        status=PrintStatus.RUNNING, started_at__lt=now - running_for
    ).update(status=PrintStatus.FAILED, error_message=STOPPED_MESSAGE, content=None)
    lost = list(
        ChronologyPrint.objects.filter(
            status=PrintStatus.QUEUED, requested_at__lt=now - queued_for
        ).values_list("pk", flat=True)[:50]
    )
    for print_id in lost:
        _enqueue(print_id)
    return {"deleted": deleted, "stopped": stuck, "sent_again": len(lost)}
