"""A school's settings, under /setup/ (app_name "setup"). Schools and settings by id and
key: no personal data in any URL."""

from django.urls import path

from setup.settings_area import views

urlpatterns: list = [
    path("settings/", views.settings_home, name="settings_home"),
    path("schools/<int:school_pk>/settings/", views.school_settings, name="settings"),
    path(
        "schools/<int:school_pk>/settings/history/",
        views.settings_history,
        name="settings_history",
    ),
    path(
        "schools/<int:school_pk>/settings/<slug:key>/",
        views.setting_change,
        name="setting_change",
    ),
    path(
        "schools/<int:school_pk>/settings/<slug:key>/history/",
        views.setting_history,
        name="setting_history",
    ),
]
