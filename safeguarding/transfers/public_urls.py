"""The receiving DSL's pages: no sign-in, the link's token in the address and nothing else."""

from django.urls import path

from safeguarding.transfers import public_views

app_name = "file_transfer"

urlpatterns = [
    path("<str:token>/", public_views.receive, name="receive"),
    path("<str:token>/download/", public_views.download, name="download"),
    path("<str:token>/received/", public_views.confirm, name="confirm"),
]
