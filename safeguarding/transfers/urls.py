from django.urls import path

from safeguarding.transfers import views

urlpatterns = [
    path("pupils/<int:pupil_pk>/leaving/", views.pupil_leaving, name="pupil_leaving"),
    path("pupils/<int:pupil_pk>/transfer/", views.pupil_transfer, name="pupil_transfer"),
    path("pupils/<int:pupil_pk>/transfer/send/", views.transfer_send, name="transfer_send"),
    path("pupils/<int:pupil_pk>/transfer/import/", views.transfer_import, name="transfer_import"),
    path("transferred-files/<int:pk>/", views.transferred_file, name="transferred_file"),
]
