from django.urls import path

from families.help import views

urlpatterns = [
    path("child/<int:pupil_id>/help/", views.help_new, name="help_new"),
]
