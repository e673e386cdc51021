from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("access-log/", views.access_log, name="access_log"),
]
