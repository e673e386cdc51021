"""Seals and verification runs can be read in the administration pages, never added, changed
or deleted there."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from dataprotection.models import AuditSeal, AuditVerification


@pytest.mark.parametrize("model", [AuditSeal, AuditVerification])
def test_read_only_in_the_administration_pages(model, rf, admin_user):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = admin_user

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.parametrize("name", ["auditseal", "auditverification"])
def test_the_lists_open_for_administrators(name, admin_user):
    client = Client()
    client.force_login(admin_user)

    response = client.get(reverse(f"admin:dataprotection_{name}_changelist"))

    assert response.status_code == 200
