"""Closures, their class overview, today's provision and the attendance export.

Addresses carry ids only, never names.
"""

from django.urls import path

from cases.closures import views

urlpatterns = [
    path("closures/", views.closure_list, name="closure_list"),
    path("closures/new/", views.closure_new, name="closure_new"),
    path(
        "closures/<int:pk>/classes/<int:class_pk>/",
        views.closure_overview,
        name="closure_overview",
    ),
    path("closures/cases/<int:pk>/check/", views.closure_check, name="closure_check"),
    path("closures/cases/<int:pk>/paper/", views.closure_paper, name="closure_paper"),
    path("provision/today/", views.provision_today, name="provision_today"),
    path(
        "provision/today/cases/<int:pk>/",
        views.provision_today_record,
        name="provision_today_record",
    ),
    path("attendance/export/", views.attendance_export, name="attendance_export"),
]
