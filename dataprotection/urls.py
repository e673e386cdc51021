from django.urls import path

from dataprotection import views

app_name = "dataprotection"

urlpatterns = [
    path("", views.declare, name="declare"),
]
