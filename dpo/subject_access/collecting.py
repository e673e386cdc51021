"""Collecting one pupil's records into the subject access structure, in a fixed number of
queries whatever the number of records.

Child-protection records (concerns and their handling, home visits, social-worker notices,
involvements) are included only when the DPO records why that is safe: they may be withheld
where disclosure could cause serious harm to the child or someone else (KCSIE; the serious
harm exemption in the Data Protection Act 2018, Schedule 3). When withheld, the export says so
and why, and only how many are held is read.
"""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from cases.models import (
    Agreement,
    Case,
    CaseDocument,
    Closure,
    PaperDelivery,
    Provision,
    ReintegrationPlanVersion,
    Review,
    Status,
    StatusChange,
    WorkFeedback,
)
from contacts.models import ContactLog, ContactPlanVersion, FamilyReport
from dataprotection.models import AccessEvent
from dpo.subject_access.deadline import respond_by
from dpo.subject_access.structure import (
    FORMAT,
    SAFEGUARDING_INCLUDED,
    SAFEGUARDING_NONE_HELD,
    SAFEGUARDING_WITHHELD,
    AccessRow,
    ActionRow,
    AddendumRow,
    AgreementRow,
    BodyMarkRow,
    CarerRow,
    CaseRecord,
    ClosureCheckRow,
    ConcernRecord,
    ContactPlanRow,
    ContactPlanVersionRow,
    ContactRow,
    DecisionRow,
    DocumentRow,
    FamilyWordRow,
    FileTransferRow,
    HomeVisitRow,
    InvolvementRow,
    LeavingRow,
    NamedInConcernRow,
    Options,
    PaperDeliveryRow,
    ProvisionRow,
    PupilDetails,
    ReferralChaseRow,
    ReferralResponseRow,
    ReferralRow,
    ReintegrationRow,
    ReintegrationVersionRow,
    RequestDetails,
    ReviewRow,
    Safeguarding,
    SessionAgreementRow,
    SessionRow,
    SocialWorkerNoticeRow,
    StatusChangeRow,
    StepRow,
    SubjectAccessRecord,
    TransferredFileRow,
    WithdrawalRow,
)
from safeguarding.models import (
    Action,
    Addendum,
    BodyMark,
    Concern,
    ConcernDocument,
    ConcernPupil,
    Decision,
    FileTransfer,
    HomeVisit,
    Involvement,
    PupilLeaving,
    Referral,
    ReferralChase,
    ReferralResponse,
    SessionAttendance,
    SessionFamilyAgreement,
    SocialWorkerInformed,
    TransferredFile,
    VirtualSession,
)
from safeguarding.selectors import ANOTHER_PUPIL, named_in_concerns_of
from schools.models import Pupil

STANDARD_WITHHOLDING_REASON = (
    "Child-protection records may be withheld where disclosure could cause serious harm to "
    "the child or another person."
)


def _name(user: object | None) -> str:
    """A member of staff as recorded: their name, or their email when no name was given."""
    if user is None:
        return ""
    return user.full_name or user.email


def _pupil(pupil: Pupil) -> PupilDetails:
    school_class = pupil.school_class
    return PupilDetails(
        id=pupil.pk,
        upn=pupil.upn,
        first_name=pupil.first_name,
        last_name=pupil.last_name,
        preferred_name=pupil.preferred_name,
        date_of_birth=pupil.date_of_birth,
        school=pupil.school.name,
        site=school_class.site.name,
        school_class=school_class.name,
        pathway=school_class.pathway.name if school_class.pathway else "",
        on_roll=pupil.on_roll,
        school_email=pupil.school_email,
        has_ehc_plan=pupil.has_ehc_plan,
        has_social_worker=pupil.has_social_worker,
        social_worker_name=pupil.social_worker_name,
        social_worker_authority=pupil.social_worker_authority,
    )


def _document(document: CaseDocument | ConcernDocument, attached_to: str) -> DocumentRow:
    """A document's name, kind and type, who attached it and when: never the file."""
    return DocumentRow(
        name=document.original_name,
        kind=document.get_kind_display(),
        file_type=document.type_label,
        attached_to=attached_to,
        attached_by=_name(document.attached_by),
        attached_at=document.attached_at,
        removed_at=document.removed_at,
    )


def _provision_sent(provision: Provision) -> list[str]:
    sent = []
    if provision.sent_by_email:
        sent.append("Emailed")
    if provision.sent_as_work_pack:
        sent.append("Work pack")
    if provision.sent_to_platform:
        sent.append("Home learning platform")
    return sent


def _reintegration(case: Case) -> ReintegrationRow | None:
    plan = getattr(case, "reintegration", None)
    if plan is None:
        return None
    return ReintegrationRow(
        support=plan.support,
        flexibilities=plan.flexibilities,
        updated_by=_name(plan.updated_by),
        updated_at=plan.updated_at,
        steps=[
            StepRow(description=s.description, target_date=s.target_date, done_on=s.done_on)
            for s in plan.steps.all()
        ],
    )


def _steps(steps: list[dict]) -> list[StepRow]:
    """A version's steps, kept as JSON with ISO dates, as rows with real dates."""
    day = datetime.date.fromisoformat
    return [
        StepRow(
            description=step["description"],
            target_date=day(step["target_date"]),
            done_on=day(step["done_on"]) if step.get("done_on") else None,
        )
        for step in steps
    ]


def _reintegration_versions(case: Case) -> list[ReintegrationVersionRow]:
    plan = getattr(case, "reintegration", None)
    if plan is None:
        return []
    return [
        ReintegrationVersionRow(
            number=v.number,
            support=v.support,
            flexibilities=v.flexibilities,
            steps=_steps(v.steps),
            why=v.why,
            changed_by=_name(v.changed_by),
            changed_at=v.changed_at,
        )
        for v in plan.versions.all()
    ]


def _contact_plan_versions(case: Case) -> list[ContactPlanVersionRow]:
    plan = getattr(case, "contact_plan", None)
    if plan is None:
        return []
    return [
        ContactPlanVersionRow(
            wellbeing_check_by=_name(v.wellbeing_check_by) or "The class teacher",
            extra_calls_per_day=v.extra_calls_per_day,
            extra_call_weekdays=v.extra_call_weekdays,
            summary=v.summary,
            reason=v.reason,
            decided_by=_name(v.decided_by),
            decided_at=v.decided_at,
            replaced_at=v.replaced_at,
        )
        for v in plan.versions.all()
    ]


def _withdrawal(case: Case) -> WithdrawalRow | None:
    """The reason a proposal was withdrawn is kept on its status change."""
    for change in case.status_changes.all():
        if change.to_status == Status.WITHDRAWN:
            return WithdrawalRow(
                reason=change.note,
                withdrawn_by=_name(change.changed_by),
                withdrawn_at=change.changed_at,
            )
    return None


def _closure_check(case: Case) -> ClosureCheckRow | None:
    check = getattr(case, "closure_check", None)
    if check is None:
        return None
    return ClosureCheckRow(
        wellbeing=check.get_wellbeing_display(),
        internet_access=check.get_internet_access_display(),
    )


def _contact_plan(case: Case) -> ContactPlanRow | None:
    plan = getattr(case, "contact_plan", None)
    if plan is None:
        return None
    return ContactPlanRow(
        wellbeing_check_by=_name(plan.wellbeing_check_by) or "The class teacher",
        extra_calls_per_day=plan.extra_calls_per_day,
        extra_call_weekdays=plan.extra_call_weekdays,
        decided_by=_name(plan.decided_by),
        decided_reason=plan.decided_reason,
        decided_at=plan.decided_at,
    )


def _case(case: Case) -> CaseRecord:
    return CaseRecord(
        id=case.pk,
        basis=case.get_basis_display(),
        reason=case.get_reason_display(),
        status=case.get_status_display(),
        summary=case.summary,
        closure=str(case.closure) if case.closure else "",
        joined_closures=[str(closure) for closure in case.joined_closures.all()],
        start_date=case.start_date,
        time_limit=case.end_date,
        next_review_date=case.next_review_date,
        attendance_code=case.get_attendance_code_display(),
        medical_agreement_not_needed=case.medical_agreement_not_needed,
        health_professional_should_agree=case.health_professional_should_agree,
        proposed_on=case.proposed_on,
        created_by=_name(case.created_by),
        outcome=case.outcome,
        actual_return_date=case.actual_return_date,
        closed_at=case.closed_at,
        withdrawal=_withdrawal(case),
        agreements=[
            AgreementRow(
                party=a.get_party_display(),
                agreed_by=a.agreed_by,
                agreed_on=a.agreed_on,
                method=a.get_method_display(),
                notes=a.notes,
                recorded_by=_name(a.recorded_by),
            )
            for a in case.agreements.all()
        ],
        reviews=[
            ReviewRow(
                held_on=r.held_on,
                attendees=r.attendees,
                progress=r.progress,
                decision=r.get_decision_display(),
                new_time_limit=r.new_end_date,
                next_review_date=r.next_review_date,
                recorded_by=_name(r.recorded_by),
            )
            for r in case.reviews.all()
        ],
        reintegration=_reintegration(case),
        reintegration_versions=_reintegration_versions(case),
        provision=[
            ProvisionRow(
                date=p.date,
                sent=_provision_sent(p),
                visual_timetable_sent=p.visual_timetable_sent,
                resources_signposted=p.resources_signposted,
                feedback=p.feedback,
                recorded_by=_name(p.recorded_by),
            )
            for p in case.provisions.all()
        ],
        paper_deliveries=[
            PaperDeliveryRow(
                delivered_on=d.delivered_on, delivered_by=_name(d.delivered_by), notes=d.notes
            )
            for d in case.paper_deliveries.all()
        ],
        status_changes=[
            StatusChangeRow(
                changed_at=s.changed_at,
                from_status=s.get_from_status_display() if s.from_status else "",
                to_status=s.get_to_status_display(),
                changed_by=_name(s.changed_by),
                note=s.note,
            )
            for s in case.status_changes.all()
        ],
        closure_check=_closure_check(case),
        contact_plan=_contact_plan(case),
        contact_plan_versions=_contact_plan_versions(case),
        contacts=[
            ContactRow(
                contacted_at=c.contacted_at,
                kind=c.get_kind_display(),
                channel=c.get_channel_display(),
                outcome=c.get_outcome_display(),
                pupil_well=c.pupil_well,
                wellbeing_notes=c.wellbeing_notes,
                work_feedback=c.work_feedback,
                late_reason=c.late_reason,
                staff=_name(c.staff),
            )
            for c in case.contacts.all()
        ],
        documents=[
            _document(d, f"Agreement: {d.agreement.get_party_display()}" if d.agreement else "")
            for d in case.documents.all()
        ],
    )


def _cases(pupil: Pupil) -> list[CaseRecord]:
    cases = (
        Case.objects.filter(pupil=pupil)
        .select_related(
            "closure__site",
            "closure__school_class",
            "created_by",
            "reintegration__updated_by",
            "closure_check",
            "contact_plan__wellbeing_check_by",
            "contact_plan__decided_by",
        )
        .prefetch_related(
            Prefetch("agreements", Agreement.objects.select_related("recorded_by")),
            Prefetch("reviews", Review.objects.select_related("recorded_by")),
            "reintegration__steps",
            Prefetch(
                "reintegration__versions",
                ReintegrationPlanVersion.objects.select_related("changed_by").order_by("number"),
            ),
            Prefetch(
                "contact_plan__versions",
                ContactPlanVersion.objects.select_related(
                    "wellbeing_check_by", "decided_by"
                ).order_by("decided_at", "id"),
            ),
            Prefetch(
                "joined_closures",
                Closure.objects.select_related("site", "school_class").order_by("start_date", "id"),
            ),
            Prefetch("provisions", Provision.objects.select_related("recorded_by")),
            Prefetch("paper_deliveries", PaperDelivery.objects.select_related("delivered_by")),
            Prefetch("status_changes", StatusChange.objects.select_related("changed_by")),
            Prefetch(
                "contacts",
                ContactLog.objects.select_related("staff").order_by("contacted_at", "id"),
            ),
            Prefetch(
                "documents",
                CaseDocument.objects.select_related("attached_by", "agreement").order_by(
                    "attached_at", "id"
                ),
            ),
        )
        .order_by("start_date", "id")
    )
    return [_case(case) for case in cases]


def _sessions(pupil: Pupil) -> list[SessionRow]:
    attended = dict(
        SessionAttendance.objects.filter(pupil=pupil).values_list("session_id", "attended")
    )
    sessions = VirtualSession.objects.filter(pupils=pupil).order_by("starts_at", "id")
    return [
        SessionRow(
            title=s.title,
            kind=s.get_kind_display(),
            starts_at=s.starts_at,
            minutes=s.minutes,
            attended=attended.get(s.pk),
            stopped_at=s.stopped_at,
        )
        for s in sessions
    ]


def _session_agreements(pupil: Pupil) -> list[SessionAgreementRow]:
    agreements = (
        SessionFamilyAgreement.objects.filter(pupil=pupil)
        .select_related("recorded_by")
        .order_by("agreed_on", "id")
    )
    return [
        SessionAgreementRow(
            agreed_with=a.agreed_with,
            agreed_on=a.agreed_on,
            no_recordings=a.no_recordings,
            confidentiality=a.confidentiality,
            parent_present=a.parent_present,
            independent_access_agreed=a.independent_access_agreed,
            independent_access_agreed_by=a.independent_access_agreed_by,
            dress_and_language=a.dress_and_language,
            expectations_known=a.expectations_known,
            household_not_seen_or_heard=a.household_not_seen_or_heard,
            recorded_by=_name(a.recorded_by),
        )
        for a in agreements
    ]


def _concern(c: Concern) -> ConcernRecord:
    return ConcernRecord(
        id=c.pk,
        category=c.category.name,
        urgency=c.get_urgency_display(),
        source=c.get_source_display(),
        status=c.get_status_display(),
        happened_at=c.happened_at,
        where=c.where,
        what_happened=c.what_happened,
        childs_words=c.childs_words,
        others_told=c.others_told,
        raised_by=_name(c.raised_by),
        raised_at=c.raised_at,
        owner=_name(c.owner),
        acknowledged_by=_name(c.acknowledged_by),
        acknowledged_at=c.acknowledged_at,
        outcome=c.outcome,
        close_reason=c.close_reason,
        closed_by=_name(c.closed_by),
        closed_at=c.closed_at,
        addenda=[
            AddendumRow(text=a.text, added_by=_name(a.added_by), added_at=a.added_at)
            for a in c.addenda.all()
        ],
        actions=[
            ActionRow(
                what=a.what,
                who=_name(a.who),
                due_on=a.due_on,
                done_on=a.done_on,
                recorded_by=_name(a.recorded_by),
                recorded_at=a.recorded_at,
            )
            for a in c.actions.all()
        ],
        decisions=[
            DecisionRow(
                decision=d.decision,
                reason=d.reason,
                decided_by=_name(d.decided_by),
                decided_at=d.decided_at,
            )
            for d in c.decisions.all()
        ],
        referrals=[
            ReferralRow(
                agency=r.get_agency_display(),
                reference=r.reference,
                notes=r.notes,
                made_by=_name(r.made_by),
                made_at=r.made_at,
                responses=[
                    ReferralResponseRow(
                        responded_on=response.responded_on,
                        responded_by=response.responded_by,
                        what_they_said=response.what_they_said,
                        outcome=response.outcome,
                        corrects_response_of=(
                            response.corrects.responded_on if response.corrects else None
                        ),
                        recorded_by=_name(response.recorded_by),
                        recorded_at=response.recorded_at,
                    )
                    for response in r.responses.all()
                ],
                chases=[
                    ReferralChaseRow(
                        chased_on=chase.chased_on,
                        how=chase.get_how_display(),
                        spoke_to=chase.spoke_to,
                        what_was_said=chase.what_was_said,
                        next_due_on=chase.next_due_on,
                        chased_by=_name(chase.chased_by),
                    )
                    for chase in r.chases.all()
                ],
            )
            for r in c.referrals.all()
        ],
        body_marks=[
            BodyMarkRow(
                view=m.get_view_display(),
                where=m.region_name,
                kind=m.get_kind_display(),
                size=m.size,
                colour=m.colour,
                childs_explanation=m.childs_explanation,
                seen_by=m.seen_by,
                seen_at=m.seen_at,
                recorded_by=_name(m.recorded_by),
                recorded_at=m.recorded_at,
                correction_reason=m.correction_reason,
            )
            for m in c.body_marks.all()
        ],
        documents=[
            _document(d, f"Referral: {d.referral.get_agency_display()}" if d.referral else "")
            for d in c.documents.all()
        ],
    )


def _leavings(pupil: Pupil) -> list[LeavingRow]:
    leavings = (
        PupilLeaving.objects.filter(pupil=pupil)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "transfers",
                FileTransfer.objects.select_related("made_by").order_by("made_at", "id"),
            )
        )
        .order_by("recorded_at", "id")
    )
    return [
        LeavingRow(
            left_on=leaving.left_on,
            new_school_name=leaving.new_school_name,
            new_school_urn=leaving.new_school_urn,
            new_dsl_name=leaving.new_dsl_name,
            recorded_by=_name(leaving.recorded_by),
            recorded_at=leaving.recorded_at,
            transfers=[
                FileTransferRow(
                    made_at=t.made_at,
                    made_by=_name(t.made_by),
                    sent_to_name=t.sent_to_name,
                    digest=t.digest,
                    expires_at=t.expires_at,
                    downloaded_at=t.downloaded_at,
                    received_at=t.received_at,
                    received_by_name=t.received_by_name,
                    received_by_role=t.received_by_role,
                )
                for t in leaving.transfers.all()
            ],
        )
        for leaving in leavings
    ]


def _transferred_files(pupil: Pupil) -> list[TransferredFileRow]:
    files = (
        TransferredFile.objects.filter(pupil=pupil)
        .select_related("imported_by")
        .order_by("imported_at", "id")
    )
    return [
        TransferredFileRow(
            from_school_name=f.from_school_name,
            from_school_urn=f.from_school_urn,
            digest=f.digest,
            imported_by=_name(f.imported_by),
            imported_at=f.imported_at,
            concerns_in_it=len((f.records or {}).get("concerns", [])),
        )
        for f in files
    ]


def _named_in_concerns(pupil: Pupil) -> list[NamedInConcernRow]:
    """Concerns about other pupils that name this one, without the other pupils' names."""
    return [
        NamedInConcernRow(
            about=ANOTHER_PUPIL,
            category=named.category,
            raised_at=named.raised_at,
            urgency=named.urgency,
            status=named.status,
            named_by=_name(named.named_by),
            named_at=named.named_at,
            named_when_raised=named.named_when_raised,
            why=named.why,
        )
        for named in named_in_concerns_of(pupil)
    ]


def _safeguarding_included(pupil: Pupil, reason: str) -> Safeguarding:
    concerns = (
        Concern.objects.filter(pupil=pupil)
        .select_related("category", "raised_by", "owner", "acknowledged_by", "closed_by")
        .prefetch_related(
            Prefetch("addenda", Addendum.objects.select_related("added_by")),
            Prefetch("actions", Action.objects.select_related("who", "recorded_by")),
            Prefetch("decisions", Decision.objects.select_related("decided_by")),
            Prefetch(
                "referrals",
                Referral.objects.select_related("made_by").prefetch_related(
                    Prefetch(
                        "responses",
                        ReferralResponse.objects.select_related("recorded_by", "corrects"),
                    ),
                    Prefetch("chases", ReferralChase.objects.select_related("chased_by")),
                ),
            ),
            Prefetch("body_marks", BodyMark.objects.select_related("recorded_by")),
            Prefetch(
                "documents",
                ConcernDocument.objects.select_related("attached_by", "referral").order_by(
                    "attached_at", "id"
                ),
            ),
        )
        .order_by("raised_at", "id")
    )
    visits = (
        HomeVisit.objects.filter(case__pupil=pupil)
        .select_related("requested_by", "slt_agreed_by", "dsl_agreed_by")
        .prefetch_related("staff")
        .order_by("requested_at", "id")
    )
    notices = (
        SocialWorkerInformed.objects.filter(case__pupil=pupil)
        .select_related("recorded_by")
        .order_by("informed_on", "id")
    )
    involvements = (
        Involvement.objects.filter(case__pupil=pupil)
        .select_related("worker")
        .order_by("started_on", "id")
    )
    concern_rows = [_concern(c) for c in concerns]
    visit_rows = [
        HomeVisitRow(
            case_id=v.case_id,
            reason=v.reason,
            requested_by=_name(v.requested_by),
            requested_at=v.requested_at,
            slt_agreed_by=_name(v.slt_agreed_by),
            dsl_agreed_by=_name(v.dsl_agreed_by),
            planned_for=v.planned_for,
            staff=sorted(_name(person) for person in v.staff.all()),
            visited_on=v.visited_on,
            outcome=v.outcome,
        )
        for v in visits
    ]
    notice_rows = [
        SocialWorkerNoticeRow(
            case_id=n.case_id,
            informed_on=n.informed_on,
            how=n.get_how_display(),
            notes=n.notes,
            recorded_by=_name(n.recorded_by),
        )
        for n in notices
    ]
    involvement_rows = [
        InvolvementRow(
            case_id=i.case_id,
            kind=i.get_kind_display(),
            worker=_name(i.worker),
            notes=i.notes,
            started_on=i.started_on,
            ended_on=i.ended_on,
        )
        for i in involvements
    ]
    leaving_rows = _leavings(pupil)
    transferred_rows = _transferred_files(pupil)
    named_rows = _named_in_concerns(pupil)
    held = (
        len(concern_rows)
        + len(visit_rows)
        + len(notice_rows)
        + len(involvement_rows)
        + len(leaving_rows)
        + len(transferred_rows)
        + len(named_rows)
    )
    if not held:
        return Safeguarding(status=SAFEGUARDING_NONE_HELD, reason="", records_held=0)
    return Safeguarding(
        status=SAFEGUARDING_INCLUDED,
        reason=reason,
        records_held=held,
        concerns=concern_rows,
        home_visits=visit_rows,
        social_worker_notices=notice_rows,
        involvements=involvement_rows,
        leavings=leaving_rows,
        transferred_files=transferred_rows,
        named_in_concerns=named_rows,
    )


def safeguarding_records_held(pupil: Pupil) -> int:
    """How many safeguarding records exist for the pupil, reading nothing of their content."""
    return (
        Concern.objects.filter(pupil=pupil).count()
        + HomeVisit.objects.filter(case__pupil=pupil).count()
        + SocialWorkerInformed.objects.filter(case__pupil=pupil).count()
        + Involvement.objects.filter(case__pupil=pupil).count()
        + PupilLeaving.objects.filter(pupil=pupil).count()
        + TransferredFile.objects.filter(pupil=pupil).count()
        + ConcernPupil.objects.filter(pupil=pupil).exclude(concern__pupil=pupil).count()
    )


def _safeguarding(pupil: Pupil, options: Options) -> Safeguarding:
    if options.include_safeguarding:
        return _safeguarding_included(pupil, options.safeguarding_reason)
    held = safeguarding_records_held(pupil)
    if not held:
        return Safeguarding(status=SAFEGUARDING_NONE_HELD, reason="", records_held=0)
    return Safeguarding(
        status=SAFEGUARDING_WITHHELD,
        reason=options.safeguarding_reason or STANDARD_WITHHOLDING_REASON,
        records_held=held,
    )


def _access_events(pupil: Pupil) -> list[AccessRow]:
    events = AccessEvent.objects.filter(pupil_id=pupil.pk).order_by("occurred_at", "id")
    return [
        AccessRow(
            occurred_at=e.occurred_at,
            user_display=e.user_display,
            action=e.get_action_display(),
            subject_type=e.subject_type,
            route=e.route,
            detail=e.detail,
        )
        for e in events
    ]


def _family_words(pupil: Pupil) -> list[FamilyWordRow]:
    """What the family told the school through the carers' portal: two queries."""
    rows = [
        FamilyWordRow(
            on=r.day,
            what=r.get_kind_display(),
            note=r.note,
            carer=r.carer.full_name,
            given_at=r.created_at,
        )
        for r in FamilyReport.objects.filter(pupil=pupil).select_related("carer")
    ]
    rows += [
        FamilyWordRow(
            on=f.starts_on,
            what=f"How the work went ({f.get_period_display().lower()}): {f.get_rating_display()}",
            note=f.note,
            carer=f.carer.full_name,
            given_at=f.created_at,
        )
        for f in WorkFeedback.objects.filter(case__pupil=pupil).select_related("carer")
    ]
    return sorted(rows, key=lambda row: (row.on, row.given_at))


def pupil_for_subject_access(pk: int) -> Pupil | None:
    return (
        Pupil.objects.select_related("school", "school_class__site", "school_class__pathway")
        .filter(pk=pk)
        .first()
    )


def subject_access_collect(
    *, pupil: Pupil, options: Options, produced_by: object
) -> SubjectAccessRecord:
    """Everything held about one pupil, for a subject access request.

    ``pupil`` should come from ``pupil_for_subject_access`` (its school, class, site and
    pathway already loaded). The access audit read here is as it stood before this export was
    recorded.
    """
    received = options.received_on
    return SubjectAccessRecord(
        format=FORMAT,
        produced_at=timezone.now(),
        produced_by=_name(produced_by),
        request=RequestDetails(
            requested_by=options.requested_by,
            received_on=received,
            respond_by=respond_by(received) if received else None,
        ),
        pupil=_pupil(pupil),
        carers=[
            CarerRow(
                full_name=link.carer.full_name,
                relationship=link.get_relationship_display(),
                has_parental_responsibility=link.has_parental_responsibility,
                phone=link.carer.phone,
                email=link.carer.email,
                address=link.carer.address,
                preferred_channel=link.carer.get_preferred_channel_display(),
                priority=link.priority,
            )
            for link in pupil.carer_links.select_related("carer").order_by(
                "priority", "carer__full_name", "id"
            )
        ],
        cases=_cases(pupil),
        virtual_sessions=_sessions(pupil),
        session_agreements=_session_agreements(pupil),
        safeguarding=_safeguarding(pupil, options),
        access_events=_access_events(pupil),
        family_words=_family_words(pupil),
    )
