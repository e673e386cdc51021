"""Subject access (UK GDPR Article 15; policy section 5): one pupil's records, collected into a
plain typed structure that the PDF and the JSON file are both drawn from.

The structure holds text, dates and labels only (no model instances), so the two formats
cannot disagree and a template cannot wander off into the database. Collection costs a fixed
number of queries whatever the number of records.
"""

import datetime
from dataclasses import dataclass, field

FORMAT = "subject-access/1"

SAFEGUARDING_INCLUDED = "included"
SAFEGUARDING_WITHHELD = "withheld"
SAFEGUARDING_NONE_HELD = "none held"


@dataclass(frozen=True, slots=True)
class Options:
    """What the DPO chose for one export, and the request it answers."""

    include_safeguarding: bool = False
    safeguarding_reason: str = ""
    requested_by: str = ""
    received_on: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class RequestDetails:
    requested_by: str
    received_on: datetime.date | None
    respond_by: datetime.date | None


@dataclass(frozen=True, slots=True)
class PupilDetails:
    id: int
    upn: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: datetime.date
    school: str
    site: str
    school_class: str
    pathway: str
    on_roll: bool
    school_email: str
    has_ehc_plan: bool
    has_social_worker: bool
    social_worker_name: str
    social_worker_authority: str


@dataclass(frozen=True, slots=True)
class CarerRow:
    full_name: str
    relationship: str
    has_parental_responsibility: bool
    phone: str
    email: str
    address: str
    preferred_channel: str
    priority: int


@dataclass(frozen=True, slots=True)
class AgreementRow:
    party: str
    agreed_by: str
    agreed_on: datetime.date
    method: str
    notes: str
    recorded_by: str


@dataclass(frozen=True, slots=True)
class ReviewRow:
    held_on: datetime.date
    attendees: str
    progress: str
    decision: str
    new_time_limit: datetime.date | None
    next_review_date: datetime.date | None
    recorded_by: str


@dataclass(frozen=True, slots=True)
class StepRow:
    description: str
    target_date: datetime.date
    done_on: datetime.date | None


@dataclass(frozen=True, slots=True)
class ReintegrationRow:
    support: str
    flexibilities: str
    updated_by: str
    updated_at: datetime.datetime
    steps: list[StepRow]


@dataclass(frozen=True, slots=True)
class ReintegrationVersionRow:
    """The reintegration plan as one change left it, with who changed it, when and why."""

    number: int
    support: str
    flexibilities: str
    steps: list[StepRow]
    why: str
    changed_by: str
    changed_at: datetime.datetime


@dataclass(frozen=True, slots=True)
class ProvisionRow:
    date: datetime.date
    sent: list[str]
    visual_timetable_sent: bool
    resources_signposted: bool
    feedback: str
    recorded_by: str


@dataclass(frozen=True, slots=True)
class PaperDeliveryRow:
    delivered_on: datetime.date
    delivered_by: str
    notes: str


@dataclass(frozen=True, slots=True)
class StatusChangeRow:
    changed_at: datetime.datetime
    from_status: str
    to_status: str
    changed_by: str
    note: str


@dataclass(frozen=True, slots=True)
class ClosureCheckRow:
    wellbeing: str
    internet_access: str


@dataclass(frozen=True, slots=True)
class ContactPlanRow:
    wellbeing_check_by: str
    extra_calls_per_day: int
    extra_call_weekdays: str
    decided_by: str
    decided_reason: str
    decided_at: datetime.datetime | None


@dataclass(frozen=True, slots=True)
class ContactPlanVersionRow:
    """One decision on the contact plan, kept when a later one replaced it."""

    wellbeing_check_by: str
    extra_calls_per_day: int
    extra_call_weekdays: str
    summary: str
    reason: str
    decided_by: str
    decided_at: datetime.datetime
    replaced_at: datetime.datetime | None


@dataclass(frozen=True, slots=True)
class WithdrawalRow:
    """Who withdrew a proposal before remote education started, when and why."""

    reason: str
    withdrawn_by: str
    withdrawn_at: datetime.datetime


@dataclass(frozen=True, slots=True)
class ContactRow:
    contacted_at: datetime.datetime
    kind: str
    channel: str
    outcome: str
    pupil_well: bool | None
    wellbeing_notes: str
    work_feedback: str
    late_reason: str
    staff: str


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """A file attached to a record: what it is and who attached it when. The file itself is
    not in the export; the school sends a copy where the person asks for one."""

    name: str
    kind: str
    file_type: str
    attached_to: str  # the agreement or referral it was attached with, or "" for the record
    attached_by: str
    attached_at: datetime.datetime
    removed_at: datetime.datetime | None  # when retention deleted the file, keeping this row


@dataclass(frozen=True, slots=True)
class CaseRecord:
    id: int
    basis: str
    reason: str
    status: str
    summary: str
    closure: str
    # Closures the pupil's own case went on through, rather than a second case being opened.
    joined_closures: list[str]
    start_date: datetime.date
    time_limit: datetime.date
    next_review_date: datetime.date | None
    attendance_code: str
    medical_agreement_not_needed: str
    health_professional_should_agree: bool | None
    proposed_on: datetime.date
    created_by: str
    outcome: str
    actual_return_date: datetime.date | None
    closed_at: datetime.datetime | None
    withdrawal: WithdrawalRow | None
    agreements: list[AgreementRow]
    reviews: list[ReviewRow]
    reintegration: ReintegrationRow | None
    reintegration_versions: list[ReintegrationVersionRow]
    provision: list[ProvisionRow]
    paper_deliveries: list[PaperDeliveryRow]
    status_changes: list[StatusChangeRow]
    closure_check: ClosureCheckRow | None
    contact_plan: ContactPlanRow | None
    contact_plan_versions: list[ContactPlanVersionRow]
    contacts: list[ContactRow]
    documents: list[DocumentRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SessionRow:
    title: str
    kind: str
    starts_at: datetime.datetime
    minutes: int
    attended: bool | None
    stopped_at: datetime.datetime | None


@dataclass(frozen=True, slots=True)
class SessionAgreementRow:
    agreed_with: str
    agreed_on: datetime.date
    no_recordings: bool
    confidentiality: bool
    parent_present: bool
    independent_access_agreed: bool
    independent_access_agreed_by: str
    dress_and_language: bool
    expectations_known: bool
    household_not_seen_or_heard: bool
    recorded_by: str


@dataclass(frozen=True, slots=True)
class AddendumRow:
    text: str
    added_by: str
    added_at: datetime.datetime


@dataclass(frozen=True, slots=True)
class ActionRow:
    what: str
    who: str
    due_on: datetime.date | None
    done_on: datetime.date | None
    recorded_by: str
    recorded_at: datetime.datetime


@dataclass(frozen=True, slots=True)
class DecisionRow:
    decision: str
    reason: str
    decided_by: str
    decided_at: datetime.datetime


@dataclass(frozen=True, slots=True)
class ReferralResponseRow:
    """What the agency said; a correction is a new response naming the one it corrects."""

    responded_on: datetime.date
    responded_by: str
    what_they_said: str
    outcome: str
    corrects_response_of: datetime.date | None
    recorded_by: str
    recorded_at: datetime.datetime


@dataclass(frozen=True, slots=True)
class ReferralChaseRow:
    chased_on: datetime.date
    how: str
    spoke_to: str
    what_was_said: str
    next_due_on: datetime.date
    chased_by: str


@dataclass(frozen=True, slots=True)
class ReferralRow:
    agency: str
    reference: str
    notes: str
    made_by: str
    made_at: datetime.datetime
    responses: list[ReferralResponseRow] = field(default_factory=list)
    chases: list[ReferralChaseRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BodyMarkRow:
    view: str
    where: str
    kind: str
    size: str
    colour: str
    childs_explanation: str
    seen_by: str
    seen_at: datetime.datetime
    recorded_by: str
    recorded_at: datetime.datetime
    correction_reason: str  # a correction of the mark before it, with why


@dataclass(frozen=True, slots=True)
class ConcernRecord:
    id: int
    category: str
    urgency: str
    source: str
    status: str
    happened_at: datetime.datetime
    where: str
    what_happened: str
    childs_words: str
    others_told: str
    raised_by: str
    raised_at: datetime.datetime
    owner: str
    acknowledged_by: str
    acknowledged_at: datetime.datetime | None
    outcome: str
    close_reason: str
    closed_by: str
    closed_at: datetime.datetime | None
    addenda: list[AddendumRow]
    actions: list[ActionRow]
    decisions: list[DecisionRow]
    referrals: list[ReferralRow]
    body_marks: list[BodyMarkRow] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HomeVisitRow:
    case_id: int
    reason: str
    requested_by: str
    requested_at: datetime.datetime
    slt_agreed_by: str
    dsl_agreed_by: str
    planned_for: datetime.date | None
    staff: list[str]
    visited_on: datetime.date | None
    outcome: str


@dataclass(frozen=True, slots=True)
class SocialWorkerNoticeRow:
    case_id: int
    informed_on: datetime.date
    how: str
    notes: str
    recorded_by: str


@dataclass(frozen=True, slots=True)
class InvolvementRow:
    case_id: int
    kind: str
    worker: str
    notes: str
    started_on: datetime.date
    ended_on: datetime.date | None


@dataclass(frozen=True, slots=True)
class FileTransferRow:
    """One sending of the child-protection file to the new school: to whom, when, and when it
    was received. The link and code are never kept, so never shown."""

    made_at: datetime.datetime
    made_by: str
    sent_to_name: str
    digest: str
    expires_at: datetime.datetime
    downloaded_at: datetime.datetime | None
    received_at: datetime.datetime | None
    received_by_name: str
    received_by_role: str


@dataclass(frozen=True, slots=True)
class LeavingRow:
    """The pupil's leaving for a new school, with each sending of their child-protection file."""

    left_on: datetime.date
    new_school_name: str
    new_school_urn: str
    new_dsl_name: str
    recorded_by: str
    recorded_at: datetime.datetime
    transfers: list[FileTransferRow]


@dataclass(frozen=True, slots=True)
class TransferredFileRow:
    """A child-protection file received from the pupil's previous school, kept as it came."""

    from_school_name: str
    from_school_urn: str
    digest: str
    imported_by: str
    imported_at: datetime.datetime
    concerns_in_it: int


@dataclass(frozen=True, slots=True)
class NamedInConcernRow:
    """A concern about another pupil that names this one: the pupil's own data in it (that
    they were named, by whom, when and why, and what kind of concern it is). The other pupil
    and the concern's account are that child's data: neither is here."""

    about: str  # always "another pupil"
    category: str
    raised_at: datetime.datetime
    urgency: str
    status: str
    named_by: str
    named_at: datetime.datetime
    named_when_raised: bool
    why: str  # other pupils' names replaced by "another pupil"


@dataclass(frozen=True, slots=True)
class Safeguarding:
    """Included in full, or withheld with the reason and how many records are held."""

    status: str
    reason: str
    records_held: int
    concerns: list[ConcernRecord] = field(default_factory=list)
    home_visits: list[HomeVisitRow] = field(default_factory=list)
    social_worker_notices: list[SocialWorkerNoticeRow] = field(default_factory=list)
    involvements: list[InvolvementRow] = field(default_factory=list)
    leavings: list[LeavingRow] = field(default_factory=list)
    transferred_files: list[TransferredFileRow] = field(default_factory=list)
    named_in_concerns: list[NamedInConcernRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AccessRow:
    occurred_at: datetime.datetime
    user_display: str
    action: str
    subject_type: str
    route: str
    detail: str


@dataclass(frozen=True, slots=True)
class FamilyWordRow:
    """What a parent or carer told the school through the carers' portal."""

    on: datetime.date
    what: str
    note: str
    carer: str
    given_at: datetime.datetime


@dataclass(frozen=True, slots=True)
class SubjectAccessRecord:
    format: str
    produced_at: datetime.datetime
    produced_by: str
    request: RequestDetails
    pupil: PupilDetails
    carers: list[CarerRow]
    cases: list[CaseRecord]
    virtual_sessions: list[SessionRow]
    session_agreements: list[SessionAgreementRow]
    safeguarding: Safeguarding
    access_events: list[AccessRow]
    # Reports (unwell, cannot work, asking for help) and feedback on the work, oldest first.
    family_words: list[FamilyWordRow] = field(default_factory=list)

    @property
    def contact_count(self) -> int:
        return sum(len(case.contacts) for case in self.cases)

    @property
    def case_document_count(self) -> int:
        return sum(len(case.documents) for case in self.cases)

    @property
    def parts(self) -> list[str]:
        """Short names of what the export holds, for the audit line and the cover page."""
        parts = ["pupil", "carers", "cases", "contacts", "sessions", "access log"]
        if self.safeguarding.status == SAFEGUARDING_INCLUDED:
            parts.append("safeguarding")
        return parts
