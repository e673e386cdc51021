"""School settings for the DPO's registers: retention periods per school. Breaches and the
retention queue are never edited here: they are handled through the DPO's pages, where every
step is recorded."""

from django.contrib import admin

from dataprotection.admin import ReadOnlyAdmin
from dpo.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(ReadOnlyAdmin):
    # Changed only on School settings, where each change keeps who, when, why and the old value.

    list_display = ("school", "kind", "years")
    list_filter = ("kind",)
