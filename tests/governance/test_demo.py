"""The demo school has an approved remote learning policy, some SLT monitoring and recent
pulse answers for the governors' summary, and loading it again adds nothing."""

from governance.demo import governance_demo_load
from governance.models import (
    FollowUp,
    MonitoringActivity,
    PolicyStatus,
    PolicyVersion,
    PulseReceipt,
    PulseResponse,
)
from governance.selectors import current_version
from schools.demo import demo_load


def test_the_demo_governance_records_load_once(db):
    school = demo_load()
    governance_demo_load(school)
    counts = (
        PolicyVersion.objects.count(),
        MonitoringActivity.objects.count(),
        FollowUp.objects.count(),
        PulseResponse.objects.count(),
    )
    governance_demo_load(school)
    assert counts == (
        PolicyVersion.objects.count(),
        MonitoringActivity.objects.count(),
        FollowUp.objects.count(),
        PulseResponse.objects.count(),
    )
    version = current_version(school.policy_documents.get())
    assert version.status == PolicyStatus.APPROVED
    assert version.reviewed_by.email == "head@demo-school.example"
    assert version.approved_by.email == "chair@demo-school.example"
    assert counts[1] == 3 and counts[2] == 2
    assert PulseResponse.objects.count() == PulseReceipt.objects.count() > 20
