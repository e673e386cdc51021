"""Case pages, under /cases/ in the "cases" namespace, and the closures feature's pages.
Only ids go in these addresses."""

from django.urls import path

from cases import views
from cases.closures.urls import urlpatterns as closure_urls
from cases.documents.urls import urlpatterns as document_urls

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_propose, name="case_propose"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/agreements/", views.agreement_add, name="agreement_add"),
    path("<int:pk>/start/", views.case_activate, name="case_activate"),
    path("<int:pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("<int:pk>/provision/", views.provision_add, name="provision_add"),
    path("<int:pk>/reviews/", views.review_add, name="review_add"),
    path("<int:pk>/reintegration/", views.reintegration_save, name="reintegration_save"),
    path(
        "<int:pk>/reintegration/steps/",
        views.reintegration_step_add,
        name="reintegration_step_add",
    ),
    path(
        "<int:pk>/reintegration/steps/<int:step_pk>/done/",
        views.reintegration_step_done,
        name="reintegration_step_done",
    ),
    path("<int:pk>/close/", views.case_close, name="case_close"),
    path("pupil/<int:pupil_pk>/", views.pupil_cases, name="pupil_cases"),
    *closure_urls,
    *document_urls,
]
