"""Today's contacts and a case's contact history (included under /contacts/)."""

from django.urls import path

from contacts import views_today

urlpatterns: list = [
    path("today/", views_today.today_view, name="today"),
    path("today/<int:pk>/log/", views_today.contact_log, name="contact_log"),
    path("case/<int:case_pk>/", views_today.case_contacts_view, name="case_contacts"),
    path("case/<int:case_pk>/plan/", views_today.contact_plan, name="contact_plan"),
]
