"""Today's contacts and a case's contact history, then the cover and messages features; all
under /contacts/. No personal data in any URL: ids only."""

from django.urls import path

from contacts import views
from contacts.cover.urls import urlpatterns as cover_urls
from contacts.messages.urls import urlpatterns as message_urls

app_name = "contacts"

urlpatterns = [
    path("today/", views.today_view, name="today"),
    path("today/<int:pk>/log/", views.contact_log, name="contact_log"),
    path("case/<int:case_pk>/", views.case_contacts_view, name="case_contacts"),
    path("case/<int:case_pk>/plan/", views.contact_plan, name="contact_plan"),
    *cover_urls,
    *message_urls,
]
