"""Reads shaped for the concern pages: a fixed number of queries whatever the number of rows."""

import datetime
from dataclasses import dataclass, replace

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from cases.models import Agreement, CaseDocument, ReintegrationPlanVersion, Review, StatusChange
from contacts.models import ContactLog, ContactPlanVersion
from core.outbox import OutboxStatus
from safeguarding.chronology.redaction import Redactor, other_pupils_redactor
from safeguarding.models import (
    Action,
    Addendum,
    BodyMark,
    Concern,
    ConcernDocument,
    ConcernPupil,
    Decision,
    HomeVisit,
    Involvement,
    Notification,
    Referral,
    ReferralChase,
    ReferralResponse,
    SocialWorkerInformed,
)
from safeguarding.visibility import concerns_naming_visible_to, concerns_visible_to
from schools.models import Pupil
from schools.permissions import pupils_visible_to

ANOTHER_PUPIL = "another pupil"
NAMED_PUPILS = Prefetch(
    "named_pupils", ConcernPupil.objects.select_related("pupil__school_class", "added_by")
)

# A concern's referrals with their responses and chases, for its page and the chronology.
REFERRALS_WITH_ANSWERS = Referral.objects.select_related("made_by").prefetch_related(
    Prefetch("responses", ReferralResponse.objects.select_related("recorded_by", "corrects")),
    Prefetch("chases", ReferralChase.objects.select_related("chased_by")),
)


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
            Prefetch("referrals", REFERRALS_WITH_ANSWERS),
            Prefetch(
                "documents", ConcernDocument.objects.select_related("attached_by", "referral")
            ),
            Prefetch("body_marks", BodyMark.objects.select_related("recorded_by")),
            NAMED_PUPILS,
        )
        .filter(pk=pk)
        .first()
    )


def named_pupils_for_page(concern: Concern, *, viewer: object) -> list[ConcernPupil]:
    """The other pupils a concern names (prefetched by ``concern_for_page``), each with
    ``page_url`` when the viewer may open the pupil's page: one query."""
    named = list(concern.named_pupils.all())
    seen = set(
        pupils_visible_to(viewer)
        .filter(pk__in=[row.pupil_id for row in named])
        .values_list("pk", flat=True)
    )
    for row in named:
        row.page_url = row.pupil.get_absolute_url() if row.pupil_id in seen else ""
    return named


def referral_for_page(pk: int) -> Referral | None:
    return Referral.objects.select_related("concern__pupil__school_class").filter(pk=pk).first()


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
    # The concern's category, for choosing what a printed chronology covers; filled in by
    # chronology_for for every entry that belongs to a concern.
    category_id: int | None = None


def chronology_for(
    pupil: Pupil, *, viewer: object, name_others: bool = True
) -> list[ChronologyEntry]:
    """Everything recorded on the pupil's concerns, and the home visits, social-worker notices,
    involvements, notifications, contacts, case events (status changes, agreements, reviews),
    contact-plan decisions, reintegration-plan versions and documents around them, oldest
    first: a fixed number of queries.

    Only the concerns ``viewer`` may read are in it, with what is recorded on them (a
    category kept for the DSL team is left out for anyone else); the gate to the chronology
    itself is the caller's. A concern about another pupil that names this one is in it as one
    entry (``_named_entries``); with ``name_others`` false (a file sent to another school)
    that entry never names the pupil the concern is about, nor any other pupil named in it."""
    visible = concerns_visible_to(viewer).filter(pupil=pupil)
    concerns = list(
        visible.select_related(
            "category", "raised_by", "acknowledged_by", "closed_by"
        ).prefetch_related(
            Prefetch("addenda", Addendum.objects.select_related("added_by")),
            Prefetch("actions", Action.objects.select_related("who", "recorded_by")),
            Prefetch("decisions", Decision.objects.select_related("decided_by")),
            Prefetch("referrals", REFERRALS_WITH_ANSWERS),
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
            entries.extend(_referral_entries(concern, referral))
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
    entries.extend(_named_entries(pupil, viewer, name_others=name_others))
    entries.extend(_case_entries(pupil))
    entries.extend(_notification_entries(visible))
    entries.extend(_contact_plan_entries(pupil))
    entries.extend(_document_entries(pupil, visible))
    entries.extend(_contact_entries(pupil))
    entries.extend(_case_event_entries(pupil))
    categories = {concern.pk: concern.category_id for concern in concerns}
    entries = [
        replace(entry, category_id=categories.get(entry.concern_id))
        if entry.concern_id and entry.category_id is None
        else entry
        for entry in entries
    ]
    entries.sort(key=lambda entry: (entry.at, entry.concern_id or 0))
    return entries


def _named_entries(
    pupil: Pupil, viewer: object, *, name_others: bool = True
) -> list[ChronologyEntry]:
    """Each concern about another pupil that names this one and that ``viewer`` knows of
    through this pupil: when it was raised, its category and urgency, and who named this
    pupil, when and why. The pupil it is about is named only to a viewer who may see them
    (else "another pupil"), and the entry opens the concern only for one who may read it.
    Three queries, whatever the number of concerns. With ``name_others`` false, nobody is
    shown the other pupils' names: "another pupil", in why this pupil was named too (one
    query more)."""
    rows = list(
        ConcernPupil.objects.filter(
            pupil=pupil, concern__in=concerns_naming_visible_to(viewer, pupil=pupil)
        )
        .exclude(concern__pupil=pupil)
        .select_related("concern__category", "concern__pupil", "concern__raised_by", "added_by")
    )
    about_ids = {row.concern.pupil_id for row in rows}
    seen = set(pupils_visible_to(viewer).filter(pk__in=about_ids).values_list("pk", flat=True))
    unnamed = None if name_others else _others_redactor(pupil)
    if unnamed is not None:
        seen = set()
    readable = set(
        concerns_visible_to(viewer)
        .filter(pk__in=[row.concern_id for row in rows])
        .values_list("pk", flat=True)
    )
    entries = []
    for row in rows:
        concern = row.concern
        about = str(concern.pupil) if concern.pupil_id in seen else ANOTHER_PUPIL
        if not row.reason:
            named = "Named when the concern was raised"
        else:
            named = f"Named by {row.added_by.get_full_name()} on "
            named += f"{timezone.localtime(row.added_at):%d/%m/%Y}"
            # Why may name the pupil the concern is about: only for those who may see them.
            if unnamed is not None:
                named += f": {unnamed.apply(row.reason)}"
            elif concern.pupil_id in seen:
                named += f": {row.reason}"
        entries.append(
            ChronologyEntry(
                concern.raised_at,
                "named_in_concern",
                concern.pk if concern.pk in readable else None,
                f"Named in a concern about {about}: {concern.category} "
                f"({concern.get_urgency_display()})",
                "",
                " · ".join((named, concern.get_status_display())),
                concern.raised_by,
                category_id=concern.category_id,
            )
        )
    return entries


def _others_redactor(pupil: Pupil) -> Redactor:
    """Replaces the names of the other pupils in the concerns that name ``pupil`` (the pupils
    they are about, and any others named in them) by "another pupil": one query."""
    others = (
        Pupil.objects.filter(
            Q(concerns__named_pupils__pupil=pupil) | Q(named_in_concerns__named_pupils__pupil=pupil)
        )
        .exclude(pk=pupil.pk)
        .values_list("first_name", "last_name", "preferred_name")
        .distinct()
    )
    return other_pupils_redactor(pupil, others)


@dataclass(frozen=True)
class NamedInConcern:
    """A concern about another pupil that names this one, as it may be shown outside the
    school's own pages (a subject access export, a file sent to another school): what kind of
    concern it is and how this pupil came to be named, never the other pupil or the account."""

    raised_at: datetime.datetime
    category: str
    urgency: str
    status: str
    named_by: object
    named_at: datetime.datetime
    named_when_raised: bool
    why: str  # other pupils' names replaced by "another pupil"


def named_in_concerns_of(pupil: Pupil) -> list[NamedInConcern]:
    """Every concern about another pupil that names ``pupil``, oldest first, with the names of
    the other pupils in why they were named replaced: two queries, whatever the number."""
    rows = (
        ConcernPupil.objects.filter(pupil=pupil)
        .exclude(concern__pupil=pupil)
        .select_related("concern__category", "added_by")
        .order_by("concern__raised_at", "concern_id")
    )
    unnamed = _others_redactor(pupil)
    return [
        NamedInConcern(
            raised_at=row.concern.raised_at,
            category=row.concern.category.name,
            urgency=row.concern.get_urgency_display(),
            status=row.concern.get_status_display(),
            named_by=row.added_by,
            named_at=row.added_at,
            named_when_raised=not row.reason,
            why=unnamed.apply(row.reason),
        )
        for row in rows
    ]


def _referral_entries(concern: Concern, referral: Referral) -> list[ChronologyEntry]:
    """A referral, each chase and each response (corrections too), from the prefetch."""
    agency = referral.get_agency_display()
    expected = (
        f"response expected by {referral.response_due_on:%d/%m/%Y}"
        if referral.response_due_on
        else ""
    )
    entries = [
        ChronologyEntry(
            referral.made_at,
            "referral",
            concern.pk,
            f"Referral to {agency} made {referral.referred_on:%d/%m/%Y}",
            referral.notes,
            " · ".join(p for p in (referral.reference, expected) if p),
            referral.made_by,
        )
    ]
    for chase in referral.chases.all():
        entries.append(
            ChronologyEntry(
                chase.recorded_at,
                "referral_chase",
                concern.pk,
                f"{agency} chased {chase.chased_on:%d/%m/%Y} ({chase.get_how_display()}): "
                f"{chase.spoke_to}",
                chase.what_was_said,
                f"response next expected by {chase.next_due_on:%d/%m/%Y}",
                chase.chased_by,
            )
        )
    for response in referral.responses.all():
        correction = " (a correction)" if response.corrects_id else ""
        entries.append(
            ChronologyEntry(
                response.recorded_at,
                "referral_response",
                concern.pk,
                f"Response from {agency}{correction}, {response.responded_on:%d/%m/%Y}: "
                f"{response.responded_by}",
                response.what_they_said,
                f"Outcome: {response.outcome}",
                response.recorded_by,
            )
        )
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


def _contact_entries(pupil: Pupil) -> list[ChronologyEntry]:
    """Every contact logged on the pupil's cases, with why it was logged late: one query."""
    contacts = ContactLog.objects.filter(case__pupil=pupil).select_related("staff")
    entries = []
    for contact in contacts:
        well = {True: "Pupil well and able to work", False: "Pupil not well or not able to work"}
        detail = [well.get(contact.pupil_well, "")]
        if contact.late_reason:
            detail.append(f"Logged late: {contact.late_reason}")
        text = [contact.wellbeing_notes]
        if contact.work_feedback:
            text.append(f"About the work: {contact.work_feedback}")
        entries.append(
            ChronologyEntry(
                contact.contacted_at,
                "contact",
                None,
                f"{contact.get_kind_display()} by {contact.get_channel_display()}: "
                f"{contact.get_outcome_display()}",
                "\n".join(part for part in text if part),
                "\n".join(part for part in detail if part),
                contact.staff,
            )
        )
    return entries


def _case_event_entries(pupil: Pupil) -> list[ChronologyEntry]:
    """Status changes, agreements and reviews of the pupil's cases: three queries."""
    entries = []
    for change in StatusChange.objects.filter(case__pupil=pupil).select_related("changed_by"):
        before = f"{change.get_from_status_display()} → " if change.from_status else ""
        entries.append(
            ChronologyEntry(
                change.changed_at,
                "case_status",
                None,
                f"Case status: {before}{change.get_to_status_display()}",
                change.note,
                "",
                change.changed_by,
            )
        )
    for agreement in Agreement.objects.filter(case__pupil=pupil).select_related("recorded_by"):
        entries.append(
            ChronologyEntry(
                _at_start_of(agreement.agreed_on),
                "agreement",
                None,
                f"Agreement: {agreement.get_party_display()} ({agreement.get_method_display()})",
                "\n".join(
                    part for part in (f"Agreed by {agreement.agreed_by}", agreement.notes) if part
                ),
                "",
                agreement.recorded_by,
            )
        )
    for review in Review.objects.filter(case__pupil=pupil).select_related("recorded_by"):
        next_review = (
            f"Next review {review.next_review_date:%d/%m/%Y}" if review.next_review_date else ""
        )
        new_end = f"New time limit {review.new_end_date:%d/%m/%Y}" if review.new_end_date else ""
        entries.append(
            ChronologyEntry(
                _at_start_of(review.held_on),
                "review",
                None,
                f"Review: {review.get_decision_display()}",
                review.progress,
                "\n".join(
                    part
                    for part in (f"Attended by {review.attendees}", new_end, next_review)
                    if part
                ),
                review.recorded_by,
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


def _document_entries(pupil: Pupil, concerns: QuerySet[Concern]) -> list[ChronologyEntry]:
    """Documents attached to these concerns and their referrals and to the pupil's cases and
    agreements, by name and who attached them (never their content): two queries."""
    entries = []
    for document in ConcernDocument.objects.filter(concern__in=concerns).select_related(
        "attached_by", "referral"
    ):
        to = f"the {str(document.referral).lower()}" if document.referral_id else "the concern"
        entries.append(
            ChronologyEntry(
                document.attached_at,
                "document",
                document.concern_id,
                f"Document attached to {to}: {document.get_kind_display().lower()}",
                document.original_name,
                "",
                document.attached_by,
            )
        )
    for document in CaseDocument.objects.filter(case__pupil=pupil).select_related(
        "attached_by", "agreement"
    ):
        to = f"an agreement ({document.agreement})" if document.agreement_id else "the case"
        entries.append(
            ChronologyEntry(
                document.attached_at,
                "document",
                None,
                f"Document attached to {to}: {document.get_kind_display().lower()}",
                document.original_name,
                "",
                document.attached_by,
            )
        )
    return entries


def _notification_entries(concerns: QuerySet[Concern]) -> list[ChronologyEntry]:
    """Who was told of each of these concerns (the immediate ones), and when: one query."""
    notifications = Notification.objects.filter(concern__in=concerns).select_related("recipient")
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
