"""The Data Protection Officer's registers (policy sections 3.5, 4 and 5): suspected breaches
and their 72-hour clock, and retention reviews. Subject access has its own URL set."""

from django.urls import path

from dpo import views
from dpo.retention import views as views_retention

app_name = "dpo"

urlpatterns = [
    path("breaches/", views.breach_list, name="breach_list"),
    path("breaches/new/", views.breach_new, name="breach_new"),
    path("breaches/<int:pk>/", views.breach_detail, name="breach_detail"),
    path("breaches/<int:pk>/assessment/", views.breach_assess, name="breach_assess"),
    path("breaches/<int:pk>/decision/", views.breach_decide, name="breach_decide"),
    path("breaches/<int:pk>/ico-report/", views.breach_report, name="breach_report"),
    path("breaches/<int:pk>/people-told/", views.breach_subjects_told, name="breach_subjects_told"),
    path("breaches/<int:pk>/close/", views.breach_close, name="breach_close"),
    path("retention/", views_retention.retention_list, name="retention_list"),
    path("retention/<int:pk>/", views_retention.retention_item, name="retention_item"),
    path(
        "retention/<int:pk>/approve/", views_retention.retention_approve, name="retention_approve"
    ),
    path("retention/<int:pk>/keep/", views_retention.retention_keep, name="retention_keep"),
    path(
        "retention/<int:pk>/anonymise/",
        views_retention.retention_anonymise,
        name="retention_anonymise",
    ),
]
