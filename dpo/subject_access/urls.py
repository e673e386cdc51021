"""Subject access requests (policy section 5): the DPO finds a pupil, previews what is held and
downloads it as PDF or JSON, and logs each request in a register with its one-month deadline.
Addresses carry ids only."""

from django.urls import path

from dpo.subject_access import views as views_sar

app_name = "subject_access"

urlpatterns = [
    path("", views_sar.start, name="start"),
    path("pupils/<int:pk>/", views_sar.preview, name="preview"),
    path("pupils/<int:pk>/pdf/", views_sar.download_pdf, name="pdf"),
    path("pupils/<int:pk>/json/", views_sar.download_json, name="json"),
    path("pupils/<int:pk>/log/", views_sar.request_log, name="request_log"),
    path("requests/", views_sar.request_list, name="request_list"),
    path("requests/<int:pk>/", views_sar.request_detail, name="request_detail"),
    path("requests/<int:pk>/sent/", views_sar.request_mark_sent, name="request_mark_sent"),
]
