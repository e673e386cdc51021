"""Setting a school up, under /setup/: each feature's URL set, all in the "setup" namespace."""

from django.urls import include, path

app_name = "setup"

urlpatterns = [
    path("", include("setup.settings_area.urls")),
]
