from django.urls import path

from setup.checklist import views

urlpatterns = [
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/staff-without-mfa/", views.staff_without_mfa, name="staff_without_mfa"),
]
