"""Leadership and governance records: SLT monitoring (policy section 3.3), the policy's own reviews
(section 6) and the staff wellbeing pulse governors read (section 3.7).
"""

from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("monitoring/", views.monitoring_list, name="monitoring_list"),
    path("monitoring/new/", views.monitoring_new, name="monitoring_new"),
    path("monitoring/<int:pk>/", views.monitoring_detail, name="monitoring_detail"),
    path("monitoring/<int:pk>/correct/", views.monitoring_correct, name="monitoring_correct"),
    path("monitoring/<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("policy/", views.policy_list, name="policy_list"),
    path("policy/new/", views.policy_new, name="policy_new"),
    path("policy/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("policy/<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("versions/<int:pk>/review/", views.version_review, name="version_review"),
    path("versions/<int:pk>/approve/", views.version_approve, name="version_approve"),
    path("pulse/", views.pulse, name="pulse"),
    path("pulse/summary/", views.pulse_summary, name="pulse_summary"),
]
