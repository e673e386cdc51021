from django.urls import path

from safeguarding.sessions import views

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/plan/", views.session_plan, name="session_plan"),
    path("sessions/gaps/", views.session_gaps, name="session_gaps"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/checklist/", views.session_checklist, name="session_checklist"),
    path("sessions/<int:pk>/stop/", views.session_stop, name="session_stop"),
    path(
        "pupils/<int:pupil_pk>/session-agreement/",
        views.session_agreement,
        name="session_agreement",
    ),
]
