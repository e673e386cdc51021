from django.urls import path

from families.complaints import views

urlpatterns = [
    path("staff/complaints/", views.complaint_list, name="complaint_list"),
    path("staff/complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("child/<int:pupil_id>/complaint/", views.complaint_new, name="complaint_new"),
    path(
        "child/<int:pupil_id>/complaint/received/",
        views.complaint_received,
        name="complaint_received",
    ),
]
