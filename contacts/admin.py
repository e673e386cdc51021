"""Contact settings and the who-to-contact directory are configuration a school admin keeps;
staff absences are shown read-only (they are reported, and changed, through the app)."""

from django.contrib import admin

from contacts.models import ContactSettings, DirectoryEntry, StaffAbsence
from dataprotection.admin import ReadOnlyAdmin


@admin.register(ContactSettings)
class ContactSettingsAdmin(ReadOnlyAdmin):
    # Changed only on School settings, where each change keeps who, when, why and the old value.

    list_display = ["school", "available_from", "available_until", "no_response_school_days"]


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "concern", "school", "site", "phone", "email", "external"]
    list_filter = ["concern", "school", "site", "external"]
    search_fields = ["name", "role", "email"]
    list_select_related = ["school", "site"]


@admin.register(StaffAbsence)
class StaffAbsenceAdmin(admin.ModelAdmin):
    list_display = ["staff", "school", "first_day", "last_day", "reason", "reported_by"]
    list_filter = ["school", "reason"]
    list_select_related = ["staff", "school", "reported_by"]
    date_hierarchy = "first_day"
    readonly_fields = [
        "staff",
        "school",
        "first_day",
        "last_day",
        "reason",
        "reported_by",
        "reported_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Viewable; nothing to change here (the form shows read-only fields).
        return False
