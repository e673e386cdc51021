"""Staff's device security declarations, by site, and the IT tasks they raise (policy
sections 5.1, 5.3 and 3.5). Only ids go in these addresses."""

from django.urls import path

from declarations.compliance import views

app_name = "device_declarations"

urlpatterns = [
    path("", views.compliance, name="compliance"),
    path("issues/<int:pk>/resolve/", views.issue_resolve, name="issue_resolve"),
]
