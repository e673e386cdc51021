"""Device declarations in the administration pages: read-only, like the audit, since a
declaration is never changed (a new one supersedes it)."""

from django.contrib import admin

from dataprotection.admin import ReadOnlyAdmin
from declarations.models import DeviceDeclaration


@admin.register(DeviceDeclaration)
class DeviceDeclarationAdmin(ReadOnlyAdmin):
    list_display = ("user", "declared_at", "device_description")
    list_select_related = ("user",)
    search_fields = ("user__email", "user__full_name")
