"""The carers' portal, under /family/, in the "families" namespace: each feature's URL set
joins this one. A child is addressed by id, never by name."""

from django.urls import path

from families import views
from families.accounts.urls import urlpatterns as account_urls
from families.agreements.urls import urlpatterns as agreements_urls
from families.complaints.urls import urlpatterns as complaint_urls
from families.help.urls import urlpatterns as help_urls
from families.reports.urls import urlpatterns as report_urls
from families.week.urls import urlpatterns as week_urls

app_name = "families"

urlpatterns = [
    path("", views.home, name="home"),
    *account_urls,
    *week_urls,
    *agreements_urls,
    *report_urls,
    *help_urls,
    *complaint_urls,
]
