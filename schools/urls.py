from django.urls import path

from schools import views
from schools.mis_import import views as import_views
from schools.structure.urls import urlpatterns as structure_urls
from schools.term_dates.urls import urlpatterns as calendar_urls

app_name = "schools"

urlpatterns = [
    path("pupils/", views.pupil_list, name="pupil_list"),
    path("pupils/<int:pk>/", views.pupil_detail, name="pupil_detail"),
    path("pupils/<int:pk>/sharing/", views.pupil_sharing, name="pupil_sharing"),
    path(
        "pupils/<int:pk>/carer-contacts/", views.pupil_carer_contacts, name="pupil_carer_contacts"
    ),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", import_views.import_status, name="import_status"),
    *calendar_urls,
    *structure_urls,
]
