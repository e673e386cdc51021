"""The school calendar's pages, in the schools namespace. Addresses carry ids only."""

from django.urls import path

from schools.term_dates import views

urlpatterns = [
    path("calendar/", views.calendar_list, name="calendar_list"),
    path("calendar/<int:school_pk>/", views.calendar_detail, name="calendar_detail"),
    path("calendar/<int:school_pk>/terms/new/", views.term_new, name="term_new"),
    path("calendar/terms/<int:pk>/", views.term_edit, name="term_edit"),
    path("calendar/terms/<int:pk>/remove/", views.term_remove, name="term_remove"),
    path("calendar/<int:school_pk>/days-off/new/", views.closure_new, name="closure_new"),
    path("calendar/days-off/<int:pk>/", views.closure_edit, name="closure_edit"),
    path("calendar/days-off/<int:pk>/remove/", views.closure_remove, name="closure_remove"),
    path("calendar/<int:school_pk>/import/", views.calendar_import, name="calendar_import"),
    path(
        "calendar/<int:school_pk>/import/confirm/",
        views.calendar_import_confirm,
        name="calendar_import_confirm",
    ),
    path(
        "calendar/<int:school_pk>/copy-forward/",
        views.calendar_copy_forward,
        name="calendar_copy_forward",
    ),
    path(
        "calendar/<int:school_pk>/drafts/confirm/",
        views.calendar_drafts_confirm,
        name="calendar_drafts_confirm",
    ),
]
