"""Device declarations can be read in the administration pages, never added, changed or
deleted there (a new declaration supersedes the old one)."""

from django.contrib import admin
from django.test import Client
from django.urls import reverse

from declarations.models import DeviceDeclaration


def test_read_only_in_the_administration_pages(rf, admin_user):
    model_admin = admin.site._registry[DeviceDeclaration]
    request = rf.get("/")
    request.user = admin_user

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_list_opens_for_administrators(admin_user):
    client = Client()
    client.force_login(admin_user)

    response = client.get(reverse("admin:declarations_devicedeclaration_changelist"))

    assert response.status_code == 200
