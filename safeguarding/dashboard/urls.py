from django.urls import path

from safeguarding.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard/refresh/", views.dashboard_partial, name="dashboard_partial"),
    path("cases/<int:case_pk>/", views.case_safeguarding, name="case_safeguarding"),
    path(
        "cases/<int:case_pk>/social-worker-informed/",
        views.social_worker_informed,
        name="social_worker_informed",
    ),
    path("cases/<int:case_pk>/involvements/", views.involvement_add, name="involvement_add"),
    path("involvements/<int:pk>/end/", views.involvement_end, name="involvement_end"),
    path("cases/<int:case_pk>/visits/new/", views.visit_request, name="visit_request"),
    path("visits/<int:pk>/", views.visit_record, name="visit_record"),
    path("visits/<int:pk>/agree/", views.visit_agree, name="visit_agree"),
]
