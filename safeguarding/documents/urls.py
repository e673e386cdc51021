from django.urls import path

from safeguarding.documents import views

urlpatterns = [
    path(
        "concerns/<int:pk>/documents/new/",
        views.concern_document_attach_view,
        name="concern_document_attach",
    ),
    path("documents/<int:pk>/", views.concern_document_download, name="concern_document_download"),
]
