"""School settings for safeguarding. Concerns themselves are never edited here: they are only
handled through the DSL team's pages, where every step is recorded."""

from django.contrib import admin

from dataprotection.admin import ReadOnlyAdmin
from safeguarding.models import ConcernCategory, SafeguardingSettings


@admin.register(SafeguardingSettings)
class SafeguardingSettingsAdmin(ReadOnlyAdmin):
    # Changed only on School settings, where each change keeps who, when, why and the old value.

    list_display = ("school", "acknowledge_within_minutes", "long_absence_school_days")


@admin.register(ConcernCategory)
class ConcernCategoryAdmin(ReadOnlyAdmin):
    # Changed only on the school's Concern categories page, where each change keeps who, when,
    # why and the old value.
    list_display = ("name", "school", "active", "records_body_map", "dsl_team_only")
    list_filter = ("school", "active", "records_body_map", "dsl_team_only")
    search_fields = ("name",)
