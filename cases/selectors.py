"""Reads shaped for the case pages. Each costs a fixed number of queries, whatever the number
of cases, agreements, reviews or days of provision."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import (
    ENDED_STATUSES,
    MEDICAL_REASONS,
    OPEN_STATUSES,
    Agreement,
    Case,
    CaseDocument,
    CaseSettings,
    Closure,
    FeedbackPeriod,
    Flag,
    Party,
    Provision,
    ReintegrationPlan,
    ReintegrationPlanVersion,
    ReintegrationStep,
    Review,
    Status,
    StatusChange,
    WorkFeedback,
)
from cases.permissions import CASE_READ_ROLES, CASE_WORK_ROLES, cases_visible_to
from cases.services import missing_parties, required_parties
from dataprotection.models import AccessAction, AccessEvent
from schools.calendar import add_school_days, school_days_between
from schools.models import Pupil, School, SchoolClass, SchoolDay, Site
from schools.permissions import memberships_of, pupils_visible_to


def _default(field_name: str) -> int:
    return CaseSettings._meta.get_field(field_name).default


def case_settings_of(school: School) -> CaseSettings:
    """The school's case settings, or the defaults (unsaved) when it has not chosen any.

    Unlike services.case_settings_for this never writes, so pages can use it on GET.
    """
    found = CaseSettings.objects.filter(school=school).first()
    return found if found is not None else CaseSettings(school=school)


# ---------------------------------------------------------------------------------------------
# The case list


def _school_days_left(today: datetime.date) -> Coalesce:
    """School days after today, up to and including the case's time limit, counted in SQL."""
    days = (
        SchoolDay.objects.filter(
            school_id=OuterRef("pupil__school_id"), date__gt=today, date__lte=OuterRef("end_date")
        )
        .order_by()
        .values("school_id")
        .annotate(days=Count("pk"))
        .values("days")
    )
    return Coalesce(Subquery(days, output_field=IntegerField()), Value(0))


def _warning_days() -> Coalesce:
    chosen = CaseSettings.objects.filter(school_id=OuterRef("pupil__school_id")).values(
        "time_limit_warning_school_days"
    )[:1]
    return Coalesce(
        Subquery(chosen, output_field=IntegerField()),
        Value(_default("time_limit_warning_school_days")),
    )


STATUS_OPEN = ""
STATUS_ANY = "all"


def end_of_week(day: datetime.date) -> datetime.date:
    """The Sunday of the Monday-to-Sunday week that holds ``day``."""
    return day + datetime.timedelta(days=6 - day.weekday())


def case_list_for(
    user: object,
    *,
    today: datetime.date,
    status: str = STATUS_OPEN,
    site: Site | None = None,
    school_class: SchoolClass | None = None,
    reason: str = "",
    review_due: bool = False,
    review_this_week: bool = False,
    time_limit_near: bool = False,
) -> QuerySet[Case]:
    """The cases this person may see, filtered, with what each row of the list shows.

    Every row carries ``school_days_left`` and ``warning_days`` (for 'time limit near') and
    ``open_flag_count``, all computed in the one query that fetches the page.
    """
    cases = (
        cases_visible_to(user)
        .select_related("pupil__school_class__site")
        .annotate(school_days_left=_school_days_left(today), warning_days=_warning_days())
    )
    if status == STATUS_OPEN:
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status != STATUS_ANY:
        cases = cases.filter(status=status)
    if site is not None:
        cases = cases.filter(pupil__school_class__site=site)
    if school_class is not None:
        cases = cases.filter(pupil__school_class=school_class)
    if reason:
        cases = cases.filter(reason=reason)
    if review_due:
        cases = cases.filter(status__in=OPEN_STATUSES, next_review_date__lte=today)
    if review_this_week:
        cases = cases.filter(status__in=OPEN_STATUSES, next_review_date__lte=end_of_week(today))
    if time_limit_near:
        cases = cases.filter(status__in=OPEN_STATUSES, school_days_left__lte=F("warning_days"))
    closed_last = SqlCase(When(status__in=ENDED_STATUSES, then=Value(1)), default=Value(0))
    return cases.annotate(
        open_flag_count=Count("flags", filter=Q(flags__resolved_at__isnull=True))
    ).order_by(closed_last, "end_date", "pupil__last_name", "pk")


def _case_pupils(user: object) -> QuerySet[Pupil]:
    return pupils_visible_to(user, roles=CASE_READ_ROLES)


def case_sites_for(user: object) -> QuerySet[Site]:
    """Sites where this person may see pupils' cases (for the list's filter)."""
    return (
        Site.objects.filter(classes__pupils__in=_case_pupils(user))
        .distinct()
        .order_by("school__name", "name")
    )


def case_classes_for(user: object) -> QuerySet[SchoolClass]:
    return (
        SchoolClass.objects.filter(pupils__in=_case_pupils(user))
        .select_related("site")
        .distinct()
        .order_by("site__name", "name")
    )


# ---------------------------------------------------------------------------------------------
# Proposing a case


def pupils_for_proposal(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    """The pupils a proposal may be for, shaped for the select (name and class in one query)."""
    return pupils.select_related("school_class", "school").order_by("last_name", "first_name", "pk")


def _proposal_school(user: object, pupil: Pupil | None) -> School | None:
    """Whose settings and calendar give the proposal form its defaults."""
    if pupil is not None:
        return pupil.school
    for membership in memberships_of(user):
        if membership.role in CASE_WORK_ROLES:
            return membership.school
    return None


@dataclass(frozen=True, slots=True)
class ProposalDefaults:
    start_date: datetime.date
    end_date: datetime.date | None
    max_time_limit_school_days: int


def proposal_defaults(
    user: object, pupil: Pupil | None, *, today: datetime.date
) -> ProposalDefaults:
    """Start today; time limit one review interval later, on the school's calendar."""
    school = _proposal_school(user, pupil)
    if school is None:
        return ProposalDefaults(today, None, _default("max_time_limit_school_days"))
    settings = case_settings_of(school)
    end = add_school_days(school, today, settings.review_interval_school_days)
    if end is None:  # the calendar does not reach that far yet: the services' own fallback
        end = today + datetime.timedelta(weeks=2)
    return ProposalDefaults(today, end, settings.max_time_limit_school_days)


# ---------------------------------------------------------------------------------------------
# The case page


def case_for_page(pk: int) -> Case | None:
    return (
        Case.objects.select_related(
            "pupil__school", "pupil__school_class__site", "created_by", "closure"
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True, slots=True)
class ChronologyEntry:
    """One thing that happened on a case: on which day, recorded when and by whom."""

    on: datetime.date
    at: datetime.datetime
    kind: str
    title: str
    detail: str = ""
    who: str = ""

    @property
    def sort_key(self) -> tuple:
        return (self.on, self.at, KIND_ORDER.get(self.kind, 99))


KIND_ORDER = {"status": 0, "agreement": 1, "provision": 2, "review": 3, "plan": 4, "step": 5}
KIND_ORDER |= {"flag": 6, "flag_resolved": 7, "document": 8}


@dataclass
class CasePage:
    case: Case
    today: datetime.date
    settings: CaseSettings
    agreements: list[Agreement]
    required: list[str]
    missing: list[str]
    reviews: list[Review]
    provisions: list[Provision]
    plan: ReintegrationPlan | None
    steps: list[ReintegrationStep]
    status_changes: list[StatusChange]
    flags: list[Flag]
    school_days_left: int
    days_without_provision: list[datetime.date]
    # Every version of the reintegration plan, newest first.
    plan_versions: list[ReintegrationPlanVersion] = field(default_factory=list)
    # Closures the pupil's own case joined (the case went on through them).
    joined_closures: list[Closure] = field(default_factory=list)
    chronology: list[ChronologyEntry] = field(default_factory=list)
    # Documents on the case and its agreements, oldest first (those retention deleted too).
    documents: list[CaseDocument] = field(default_factory=list)
    # How the family found the work (carers' portal), oldest first.
    work_feedback: list[WorkFeedback] = field(default_factory=list)

    @property
    def days_without_provision_feedback(self) -> list[WorkFeedback]:
        """A family's word about a day with no provision recorded, or about a week."""
        recorded = {provision.date for provision in self.provisions}
        return [
            word
            for word in self.work_feedback
            if word.period != FeedbackPeriod.DAY or word.starts_on not in recorded
        ]

    @property
    def open_flags(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.is_open]

    @property
    def required_labels(self) -> list[str]:
        return [Party(party).label for party in self.required]

    @property
    def missing_labels(self) -> list[str]:
        return [Party(party).label for party in self.missing]

    @property
    def medical_relevant(self) -> bool:
        return self.case.reason in MEDICAL_REASONS

    @property
    def can_start(self) -> bool:
        return self.case.status == Status.PROPOSED and not self.missing

    @property
    def review_due(self) -> bool:
        case = self.case
        return bool(case.is_open and case.next_review_date and case.next_review_date <= self.today)

    @property
    def time_limit_passed(self) -> bool:
        return self.case.is_open and self.case.end_date < self.today

    @property
    def time_limit_near(self) -> bool:
        return (
            self.case.is_open
            and not self.time_limit_passed
            and self.school_days_left <= self.settings.time_limit_warning_school_days
        )

    @property
    def takes_provision(self) -> bool:
        return self.case.status in (Status.ACTIVE, Status.REINTEGRATING)

    @property
    def withdrawal(self) -> StatusChange | None:
        """Who withdrew the proposal, when and why."""
        for change in self.status_changes:
            if change.to_status == Status.WITHDRAWN:
                return change
        return None

    @property
    def steps_to_do(self) -> list[ReintegrationStep]:
        return [step for step in self.steps if step.done_on is None]


def _name(user: object | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _audit_name(event: AccessEvent) -> str:
    # The audit keeps "Name <email>" as it was at the time; the page needs only the name.
    return event.user_display.rsplit(" <", 1)[0]


def _step_events(case: Case, steps: list[ReintegrationStep]) -> dict[tuple[int, str], AccessEvent]:
    """Who added each step and who marked it done, from the access audit (one query).

    Steps carry no author of their own; the audit row written in the same transaction does.
    """
    if not steps:
        return {}
    events = AccessEvent.objects.filter(
        pupil_id=case.pupil_id,
        subject_type=ReintegrationStep._meta.label_lower,
        subject_id__in=[str(step.pk) for step in steps],
        action__in=[AccessAction.CREATE, AccessAction.CHANGE],
    ).order_by("occurred_at", "pk")
    found: dict[tuple[int, str], AccessEvent] = {}
    for event in events:
        key = (int(event.subject_id), event.action)
        if event.action == AccessAction.CREATE:
            found.setdefault(key, event)
        else:
            found[key] = event  # the latest time it was marked done
    return found


def _chronology(page: CasePage, step_events: dict) -> list[ChronologyEntry]:
    entries: list[ChronologyEntry] = []
    for change in page.status_changes:
        title = (
            f"{change.get_from_status_display()} → {change.get_to_status_display()}"
            if change.from_status
            else f"Case {change.get_to_status_display().lower()}"
        )
        entries.append(
            ChronologyEntry(
                on=_local_date(change.changed_at),
                at=change.changed_at,
                kind="status",
                title=title,
                detail=change.note,
                who=_name(change.changed_by),
            )
        )
    for agreement in page.agreements:
        entries.append(
            ChronologyEntry(
                on=agreement.agreed_on,
                at=agreement.recorded_at,
                kind="agreement",
                title=f"Agreed: {agreement.get_party_display().lower()}",
                detail=f"{agreement.agreed_by}, {agreement.get_method_display().lower()}",
                who=(
                    f"{agreement.agreed_by} (parent/carer)"
                    if agreement.is_given_by_carer
                    else _name(agreement.recorded_by)
                ),
            )
        )
    for review in page.reviews:
        detail = review.get_decision_display()
        if review.new_end_date:
            detail += f": new time limit {review.new_end_date:%d/%m/%Y}"
        entries.append(
            ChronologyEntry(
                on=review.held_on,
                at=review.recorded_at,
                kind="review",
                title="Review held",
                detail=detail,
                who=_name(review.recorded_by),
            )
        )
    for document in page.documents:
        attached_to = f" ({document.agreement})" if document.agreement_id else ""
        entries.append(
            ChronologyEntry(
                on=_local_date(document.attached_at),
                at=document.attached_at,
                kind="document",
                title=f"Document attached: {document.get_kind_display().lower()}{attached_to}",
                detail=document.original_name,
                who=_name(document.attached_by),
            )
        )
    for provision in page.provisions:
        entries.append(
            ChronologyEntry(
                on=provision.date,
                at=provision.recorded_at,
                kind="provision",
                title="Provision recorded",
                detail=provision_summary(provision),
                who=_name(provision.recorded_by),
            )
        )
    if page.plan is not None:
        entries.append(
            ChronologyEntry(
                on=_local_date(page.plan.updated_at),
                at=page.plan.updated_at,
                kind="plan",
                title="Reintegration plan written or last updated",
                who=_name(page.plan.updated_by),
            )
        )
    for step in page.steps:
        added = step_events.get((step.pk, AccessAction.CREATE))
        added_at = added.occurred_at if added else page.plan.updated_at
        entries.append(
            ChronologyEntry(
                on=_local_date(added_at),
                at=added_at,
                kind="step",
                title="Reintegration step planned",
                detail=f"{step.description} (by {step.target_date:%d/%m/%Y})",
                who=_audit_name(added) if added else "",
            )
        )
        if step.done_on is not None:
            done = step_events.get((step.pk, AccessAction.CHANGE))
            entries.append(
                ChronologyEntry(
                    on=step.done_on,
                    at=done.occurred_at if done else _start_of(step.done_on),
                    kind="step",
                    title="Reintegration step done",
                    detail=step.description,
                    who=_audit_name(done) if done else "",
                )
            )
    for flag in page.flags:
        entries.append(
            ChronologyEntry(
                on=_local_date(flag.raised_at),
                at=flag.raised_at,
                kind="flag",
                title=f"Flag raised: {flag.get_kind_display()}",
                who="Automatic check",
            )
        )
        if flag.resolved_at is not None:
            entries.append(
                ChronologyEntry(
                    on=_local_date(flag.resolved_at),
                    at=flag.resolved_at,
                    kind="flag_resolved",
                    title=f"Flag resolved: {flag.get_kind_display()}",
                    detail=flag.resolution,
                    who=_name(flag.resolved_by) or "Automatic check",
                )
            )
    return sorted(entries, key=lambda entry: entry.sort_key)


def provision_summary(provision: Provision) -> str:
    parts = []
    sent = [
        label
        for flag, label in (
            (provision.sent_by_email, "emailed"),
            (provision.sent_as_work_pack, "work pack"),
            (provision.sent_to_platform, "home learning platform"),
        )
        if flag
    ]
    if sent:
        parts.append("Planning and activities: " + ", ".join(sent))
    if provision.visual_timetable_sent:
        parts.append("visual timetable")
    if provision.resources_signposted:
        parts.append("online resources signposted")
    if provision.feedback:
        parts.append("feedback from home")
    return "; ".join(parts)


def _activated_on(status_changes: list[StatusChange]) -> datetime.date | None:
    for change in status_changes:
        if change.to_status == Status.ACTIVE:
            return _local_date(change.changed_at)
    return None


def case_page(case: Case, *, today: datetime.date) -> CasePage:
    """Everything the case page shows, in a fixed number of queries.

    ``case`` comes from case_for_page (pupil, class and site already joined).
    """
    school = case.pupil.school
    agreements = list(
        case.agreements.select_related("recorded_by", "term").order_by(
            "agreed_on", "recorded_at", "pk"
        )
    )
    reviews = list(case.reviews.select_related("recorded_by").order_by("held_on", "pk"))
    provisions = list(case.provisions.select_related("recorded_by").order_by("date"))
    # What the family said through the carers' portal: a day's word beside that day's
    # provision, a week's word in the week list (one query).
    feedback = list(case.work_feedback.select_related("carer"))
    by_day: dict[datetime.date, list[WorkFeedback]] = {}
    for word in feedback:
        if word.period == FeedbackPeriod.DAY:
            by_day.setdefault(word.starts_on, []).append(word)
    for provision in provisions:
        provision.family_feedback = by_day.get(provision.date, [])
    plan = ReintegrationPlan.objects.select_related("updated_by").filter(case=case).first()
    steps = (
        list(ReintegrationStep.objects.filter(plan=plan).order_by("target_date", "pk"))
        if plan is not None
        else []
    )
    status_changes = list(
        case.status_changes.select_related("changed_by").order_by("changed_at", "pk")
    )
    flags = list(case.flags.select_related("resolved_by").order_by("raised_at", "pk"))
    settings = case_settings_of(school)
    # One read of the calendar serves both 'time limit near' and the days still to record.
    first_day = min(case.start_date, today)
    calendar = school_days_between(school, first_day, max(case.end_date, today))
    school_days_left = sum(1 for day in calendar if today < day <= case.end_date)
    missing_days: list[datetime.date] = []
    if case.status in (Status.ACTIVE, Status.REINTEGRATING):
        recorded = {provision.date for provision in provisions}
        since = max(case.start_date, _activated_on(status_changes) or case.start_date)
        until = min(today, case.end_date)
        missing_days = [day for day in calendar if since <= day <= until and day not in recorded]
    page = CasePage(
        case=case,
        today=today,
        settings=settings,
        agreements=agreements,
        required=required_parties(case),
        missing=missing_parties(case, agreements) if case.is_open else [],
        reviews=reviews,
        provisions=provisions,
        plan=plan,
        steps=steps,
        status_changes=status_changes,
        flags=flags,
        school_days_left=school_days_left,
        days_without_provision=missing_days,
        plan_versions=(
            list(plan.versions.select_related("changed_by").order_by("-number"))
            if plan is not None
            else []
        ),
        joined_closures=list(
            case.joined_closures.select_related("school_class", "site").order_by("start_date")
        ),
        documents=list(
            case.documents.select_related("attached_by", "agreement").order_by("attached_at", "pk")
        ),
        work_feedback=feedback,
    )
    page.chronology = _chronology(page, _step_events(case, steps))
    return page


def step_of_case(case: Case, step_pk: int) -> ReintegrationStep | None:
    return (
        ReintegrationStep.objects.select_related("plan__case")
        .filter(pk=step_pk, plan__case=case)
        .first()
    )
