"""The carers' portal, under /family/, in the "families" namespace: each feature's URL set
joins this one. A child is addressed by id, never by name."""

from families.complaints.urls import urlpatterns as complaint_urls

app_name = "families"

urlpatterns = [
    *complaint_urls,
]
