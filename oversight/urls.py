from django.urls import path

from oversight.access_log import views
from oversight.governors import views as views_governors
from oversight.reports import views as views_reports

app_name = "oversight"

urlpatterns = [
    path("access-log/", views.access_log, name="access_log"),
    path("reports/", views_reports.report_list, name="report_list"),
    path("reports/new/", views_reports.report_new, name="report_new"),
    path("reports/<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/download/", views_reports.report_download, name="report_download"),
    path("reports/<int:pk>/retry/", views_reports.report_retry, name="report_retry"),
    path("governors/", views_governors.governors_summary, name="governors_summary"),
    path(
        "governors/summary.pdf",
        views_governors.governors_summary_download,
        name="governors_summary_download",
    ),
]
