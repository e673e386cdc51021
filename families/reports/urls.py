from django.urls import path

from families.reports import views

urlpatterns = [
    path("child/<int:pupil_id>/tell/", views.tell_school, name="tell_school"),
    path("child/<int:pupil_id>/report/", views.report_new, name="report_new"),
    path("child/<int:pupil_id>/feedback/", views.feedback_new, name="feedback_new"),
    path("child/<int:pupil_id>/told/", views.report_done, name="report_done"),
]
