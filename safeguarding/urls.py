from django.urls import path

from safeguarding import views
from safeguarding.body_map.urls import urlpatterns as body_map_urls
from safeguarding.chronology.urls import urlpatterns as chronology_print_urls
from safeguarding.dashboard.urls import urlpatterns as dashboard_urls
from safeguarding.documents.urls import urlpatterns as document_urls
from safeguarding.households.urls import urlpatterns as household_urls
from safeguarding.sessions.urls import urlpatterns as session_urls
from safeguarding.transfers.urls import urlpatterns as transfer_urls

app_name = "safeguarding"

urlpatterns = [
    path("concerns/new/", views.concern_new, name="concern_new"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern_detail"),
    path("concerns/<int:pk>/receipt/", views.concern_receipt, name="concern_receipt"),
    path("concerns/<int:pk>/acknowledge/", views.concern_acknowledge, name="concern_acknowledge"),
    path("concerns/<int:pk>/assign/", views.concern_assign, name="concern_assign"),
    path("concerns/<int:pk>/pupils/", views.concern_pupil_add, name="concern_pupil_add"),
    path("concerns/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("concerns/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("concerns/<int:pk>/referrals/", views.referral_add, name="referral_add"),
    path(
        "referrals/<int:pk>/responses/",
        views.referral_response_add,
        name="referral_response_add",
    ),
    path("referrals/<int:pk>/chases/", views.referral_chase_add, name="referral_chase_add"),
    path("concerns/<int:pk>/addenda/", views.addendum_add, name="addendum_add"),
    path("concerns/<int:pk>/close/", views.concern_close, name="concern_close"),
    path("pupils/<int:pupil_pk>/chronology/", views.pupil_chronology, name="pupil_chronology"),
    *body_map_urls,
    *chronology_print_urls,
    *dashboard_urls,
    *document_urls,
    *household_urls,
    *session_urls,
    *transfer_urls,
]
