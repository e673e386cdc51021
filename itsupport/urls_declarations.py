from django.urls import path  # noqa: F401

app_name = "device_declarations"

urlpatterns: list = []
