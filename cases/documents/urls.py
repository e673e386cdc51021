from django.urls import path

from cases.documents import views

urlpatterns = [
    path(
        "<int:pk>/documents/new/",
        views.case_document_attach_view,
        name="case_document_attach",
    ),
    path("documents/<int:pk>/", views.case_document_download, name="case_document_download"),
]
