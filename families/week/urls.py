from django.urls import path

from families.week import views

urlpatterns = [
    path("child/<int:pupil_id>/week/", views.week, name="child_week"),
]
