"""The access audit in the administration pages: read-only, and reading it is itself recorded.

Nothing here can add, change or delete an event (the database refuses it anyway), and
RetentionPurge is deliberately not registered: a row there opens a window for deletion, which
only the purge_access_events command may do.
"""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent, AuditSeal, AuditVerification
from dataprotection.services import access_record


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "user_display",
        "action",
        "subject_type",
        "subject_id",
        "pupil_id",
        "route",
        "ip_address",
        "request_id",
    )
    list_filter = ("action",)
    search_fields = ("user_display", "route", "request_id", "=pupil_id", "=user_id")
    date_hierarchy = "occurred_at"
    list_per_page = 50
    show_full_result_count = False
    actions = None
    readonly_fields = [field.name for field in AccessEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            access_record(
                action=AccessAction.LIST,
                actor=Actor.of(request),
                subject_type="dataprotection.accessevent",
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            access_record(
                action=AccessAction.VIEW,
                actor=Actor.of(request),
                subject_type="dataprotection.accessevent",
                subject_id=object_id,
            )
        return response


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are only ever added by the service (and, for seals, refused any change by
    the database): administrators may read them, nothing more."""

    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditSeal)
class AuditSealAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "sealed_at", "first_event_id", "last_event_id", "event_count")


@admin.register(AuditVerification)
class AuditVerificationAdmin(ReadOnlyAdmin):
    list_display = ("verified_at", "ok", "last_seal_sequence", "first_bad_event_id", "message")
    list_filter = ("ok",)
