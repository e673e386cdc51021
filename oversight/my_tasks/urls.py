from django.urls import path

from oversight.my_tasks import views

app_name = "my_tasks"

urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path(
        "notifications/<slug:source>/<int:pk>/read/",
        views.notification_read,
        name="notification_read",
    ),
]
