from django.urls import path

from families.agreements import views

urlpatterns = [
    path("child/<int:pupil_id>/arrangement/", views.arrangement, name="child_arrangement"),
    path("child/<int:pupil_id>/ground-rules/", views.ground_rules, name="child_ground_rules"),
]
