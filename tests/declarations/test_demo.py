"""The demo school's device declarations: most staff have declared, one teacher has not, and
the IT technician has an item to sort out."""

import pytest

from accounts.demo import demo_accounts_load
from declarations.demo import NOT_DECLARED_YET, declarations_demo_load
from declarations.models import DeclarationIssue, DeviceDeclaration, IssueStatus

pytestmark = pytest.mark.django_db


def test_demo_declarations_load_once_and_leave_the_examples():
    users = demo_accounts_load()
    made = declarations_demo_load()
    assert made > 20
    assert declarations_demo_load() == 0
    assert DeviceDeclaration.objects.count() == made
    assert not DeviceDeclaration.objects.filter(user__email=NOT_DECLARED_YET).exists()
    assert not DeviceDeclaration.objects.filter(user__email__startswith="governor").exists()
    issue = DeclarationIssue.objects.get()
    assert issue.user == users["it@demo-school.example"]
    assert issue.status == IssueStatus.OPEN
