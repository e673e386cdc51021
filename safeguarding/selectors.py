"""Reads shaped for the concern pages: a fixed number of queries whatever the number of rows."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from cases.models import ReintegrationPlanVersion
from contacts.models import ContactPlanVersion
from core.outbox import OutboxStatus
from safeguarding.models import (
    Action,
    Addendum,
    BodyMark,
    Concern,
    Decision,
    HomeVisit,
    Involvement,
    Notification,
    Referral,
    SocialWorkerInformed,
)
from schools.models import Pupil


def concern_for_page(pk: int) -> Concern | None:
    return (
        Concern.objects.select_related(
            "pupil__school_class__site",
            "category",
            "raised_by",
            "owner",
            "acknowledged_by",
            "closed_by",
            "contact",
        )
        .prefetch_related(
            Prefetch("addenda", Addendum.objects.select_related("added_by")),
            Prefetch("actions", Action.objects.select_related("who", "recorded_by")),
            Prefetch("decisions", Decision.objects.select_related("decided_by")),
            Prefetch("referrals", Referral.objects.select_related("made_by")),
            Prefetch("body_marks", BodyMark.objects.select_related("recorded_by")),
        )
        .filter(pk=pk)
        .first()
    )


def numbered_marks(marks: list[BodyMark]) -> list[BodyMark]:
    """A concern's marks in the order recorded, each given its number on the concern (shown on
    the outline and in the table), the number of the mark it corrects and of the mark that
    corrected it. No queries: the marks are one concern's, already read."""
    number = {mark.pk: index for index, mark in enumerate(marks, start=1)}
    corrected_by = {mark.supersedes_id: number[mark.pk] for mark in marks if mark.supersedes_id}
    for mark in marks:
        mark.number = number[mark.pk]
        mark.corrects_number = number.get(mark.supersedes_id)
        mark.corrected_by_number = corrected_by.get(mark.pk)
    return marks


def action_for_page(pk: int) -> Action | None:
    return Action.objects.select_related("concern__pupil__school_class").filter(pk=pk).first()


@dataclass(frozen=True)
class ChronologyEntry:
    at: datetime.datetime
    kind: str
    concern_id: int | None  # None for what belongs to the case (visits, notices)
    title: str
    text: str
    detail: str
    by: object
    visit_id: int | None = None


def chronology_for(pupil: Pupil) -> list[ChronologyEntry]:
    """Everything recorded on the pupil's concerns, and the home visits, social-worker notices,
    involvements, notifications, contact-plan decisions and reintegration-plan versions around
    them, oldest first: a fixed number of queries.    queries."""
    concerns = list(
        Concern.objects.filter(pupil=pupil)
        .select_related("category", "raised_by", "acknowledged_by", "closed_by")
        .prefetch_related(
            Prefetch("addenda", Addendum.objects.select_related("added_by")),
            Prefetch("actions", Action.objects.select_related("who", "recorded_by")),
            Prefetch("decisions", Decision.objects.select_related("decided_by")),
            Prefetch("referrals", Referral.objects.select_related("made_by")),
            Prefetch("body_marks", BodyMark.objects.select_related("recorded_by")),
        )
    )
    entries: list[ChronologyEntry] = []
    for concern in concerns:
        entries.append(
            ChronologyEntry(
                concern.raised_at,
                "concern",
                concern.pk,
                f"Concern raised: {concern.category} ({concern.get_urgency_display()})",
                concern.what_happened,
                concern.childs_words,
                concern.raised_by,
            )
        )
        if concern.acknowledged_at:
            entries.append(
                ChronologyEntry(
                    concern.acknowledged_at,
                    "acknowledged",
                    concern.pk,
                    "Concern acknowledged",
                    "",
                    "",
                    concern.acknowledged_by,
                )
            )
        for action in concern.actions.all():
            due = f"by {action.due_on:%d/%m/%Y}" if action.due_on else ""
            done = f"done {action.done_on:%d/%m/%Y}" if action.done_on else "not done yet"
            entries.append(
                ChronologyEntry(
                    action.recorded_at,
                    "action",
                    concern.pk,
                    f"Action for {action.who.get_full_name()}",
                    action.what,
                    " · ".join(part for part in (due, done) if part),
                    action.recorded_by,
                )
            )
        for decision in concern.decisions.all():
            entries.append(
                ChronologyEntry(
                    decision.decided_at,
                    "decision",
                    concern.pk,
                    "Discussion or decision",
                    decision.decision,
                    decision.reason,
                    decision.decided_by,
                )
            )
        for referral in concern.referrals.all():
            entries.append(
                ChronologyEntry(
                    referral.made_at,
                    "referral",
                    concern.pk,
                    f"Referral to {referral.get_agency_display()}",
                    referral.notes,
                    referral.reference,
                    referral.made_by,
                )
            )
        entries.extend(_body_map_entries(concern))
        for addendum in concern.addenda.all():
            entries.append(
                ChronologyEntry(
                    addendum.added_at,
                    "addendum",
                    concern.pk,
                    "Addendum",
                    addendum.text,
                    "",
                    addendum.added_by,
                )
            )
        if concern.closed_at:
            entries.append(
                ChronologyEntry(
                    concern.closed_at,
                    "closed",
                    concern.pk,
                    "Concern closed",
                    concern.outcome,
                    concern.close_reason,
                    concern.closed_by,
                )
            )
    entries.extend(_case_entries(pupil))
    entries.extend(_notification_entries(pupil))
    entries.extend(_contact_plan_entries(pupil))
    entries.sort(key=lambda entry: (entry.at, entry.concern_id or 0))
    return entries


def _body_map_entries(concern: Concern) -> list[ChronologyEntry]:
    """Each mark on the concern's body map, corrections saying which mark they correct and why."""
    entries = []
    for mark in numbered_marks(list(concern.body_marks.all())):
        correcting = f", correcting mark {mark.corrects_number}" if mark.corrects_number else ""
        seen = f"Seen by {mark.seen_by}, {timezone.localtime(mark.seen_at):%d/%m/%Y %H:%M}"
        explanation = f"The child's explanation: {mark.childs_explanation}"
        entries.append(
            ChronologyEntry(
                mark.recorded_at,
                "body_map",
                concern.pk,
                f"Body map: {mark.get_kind_display().lower()} on the {mark.region_name} "
                f"({mark.get_view_display().lower()}){correcting}",
                " · ".join(
                    part
                    for part in (f"Mark {mark.number}", f"size {mark.size}", mark.colour, seen)
                    if part
                ),
                "\n".join(
                    part
                    for part in (
                        explanation if mark.childs_explanation else "",
                        f"Why corrected: {mark.correction_reason}" if mark.corrects_number else "",
                    )
                    if part
                ),
                mark.recorded_by,
            )
        )
    return entries


def _at_start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _case_entries(pupil: Pupil) -> list[ChronologyEntry]:
    """Home visits, social-worker notices, involvements and reintegration-plan versions on the
    pupil's cases: 4 queries."""
    entries: list[ChronologyEntry] = []
    visits = HomeVisit.objects.filter(case__pupil=pupil).select_related(
        "requested_by", "outcome_recorded_by"
    )
    for visit in visits:
        entries.append(
            ChronologyEntry(
                visit.requested_at,
                "home_visit",
                None,
                "Home visit requested",
                visit.reason,
                "",
                visit.requested_by,
                visit.pk,
            )
        )
        if visit.visited_on:
            entries.append(
                ChronologyEntry(
                    _at_start_of(visit.visited_on),
                    "home_visit",
                    None,
                    "Home visit made",
                    visit.outcome,
                    "",
                    visit.outcome_recorded_by,
                    visit.pk,
                )
            )
    for notice in SocialWorkerInformed.objects.filter(case__pupil=pupil).select_related(
        "recorded_by"
    ):
        entries.append(
            ChronologyEntry(
                _at_start_of(notice.informed_on),
                "social_worker",
                None,
                f"Social worker informed ({notice.get_how_display()})",
                notice.notes,
                "",
                notice.recorded_by,
            )
        )
    for involvement in Involvement.objects.filter(case__pupil=pupil).select_related(
        "recorded_by", "worker"
    ):
        worker = f": {involvement.worker.get_full_name()}" if involvement.worker else ""
        ended = f"ended {involvement.ended_on:%d/%m/%Y}" if involvement.ended_on else ""
        entries.append(
            ChronologyEntry(
                _at_start_of(involvement.started_on),
                "involvement",
                None,
                f"{involvement.get_kind_display()}{worker}",
                involvement.notes,
                ended,
                involvement.recorded_by,
            )
        )
    for version in ReintegrationPlanVersion.objects.filter(plan__case__pupil=pupil).select_related(
        "changed_by"
    ):
        flexibilities = f"Flexibilities: {version.flexibilities}" if version.flexibilities else ""
        entries.append(
            ChronologyEntry(
                version.changed_at,
                "reintegration_plan",
                None,
                f"Reintegration plan, version {version.number}",
                version.why,
                "\n".join(part for part in (f"Support: {version.support}", flexibilities) if part),
                version.changed_by,
            )
        )
    return entries


def _contact_plan_entries(pupil: Pupil) -> list[ChronologyEntry]:
    """Every decision on the contact plans of the pupil's cases, the current one and those it
    replaced: one query."""
    versions = ContactPlanVersion.objects.filter(plan__case__pupil=pupil).select_related(
        "decided_by", "wellbeing_check_by"
    )
    entries = []
    for version in versions:
        status = (
            "The current plan"
            if version.is_current
            else f"Replaced on {timezone.localtime(version.replaced_at):%d/%m/%Y}"
        )
        checker = version.wellbeing_check_by
        entries.append(
            ChronologyEntry(
                version.decided_at,
                "contact_plan",
                None,
                f"Contact plan: {version.summary}",
                version.reason,
                " · ".join(
                    part
                    for part in (
                        f"Weekly wellbeing check by {checker.get_full_name()}" if checker else "",
                        status,
                    )
                    if part
                ),
                version.decided_by,
            )
        )
    return entries


def _notification_entries(pupil: Pupil) -> list[ChronologyEntry]:
    """Who was told of each immediate concern, and when it was sent: one query."""
    notifications = Notification.objects.filter(concern__pupil=pupil).select_related("recipient")
    return [
        ChronologyEntry(
            note.created_at,
            "notification",
            note.concern_id,
            f"{note.get_kind_display()}: {note.recipient.get_full_name()} notified",
            "",
            _sending(note),
            None,
        )
        for note in notifications
    ]


def _sending(note: Notification) -> str:
    if note.sent_at:
        return f"sent {timezone.localtime(note.sent_at):%d/%m/%Y %H:%M}"
    if note.status == OutboxStatus.FAILED:  # the outbox gave up: someone must be told otherwise
        return "could not be sent"
    return "not sent yet"
