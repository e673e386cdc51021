from django.urls import path

from safeguarding.households import views

urlpatterns = [
    path("pupils/<int:pupil_pk>/household/", views.pupil_household, name="pupil_household"),
]
