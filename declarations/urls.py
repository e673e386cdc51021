"""The declaration page, under /declaration/. Its namespace is still "dataprotection", where
the page began: links, bookmarks in templates and the gate's open list name it so."""

from django.urls import path

from declarations import views

app_name = "dataprotection"

urlpatterns = [
    path("", views.declare, name="declare"),
]
