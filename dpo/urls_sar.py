"""Subject access requests (policy section 5): the DPO finds a pupil, previews what is held and
downloads it as PDF or JSON. Addresses carry the pupil's id only."""

from django.urls import path

from dpo import views_sar

app_name = "subject_access"

urlpatterns = [
    path("", views_sar.start, name="start"),
    path("pupils/<int:pk>/", views_sar.preview, name="preview"),
    path("pupils/<int:pk>/pdf/", views_sar.download_pdf, name="pdf"),
    path("pupils/<int:pk>/json/", views_sar.download_json, name="json"),
]
