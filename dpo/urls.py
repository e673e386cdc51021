from django.urls import path  # noqa: F401

app_name = "dpo"

urlpatterns: list = []
