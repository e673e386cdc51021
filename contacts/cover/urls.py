"""Staff absences, cover and the who-to-contact directory; included under /contacts/ by
contacts/urls.py (app_name "contacts"). No personal data in any URL: ids only."""

from django.urls import path

from contacts.cover import views as views_cover

urlpatterns: list = [
    path("absences/report/", views_cover.absence_report, name="absence_report"),
    path("absences/", views_cover.absence_list, name="absence_list"),
    path("cover/", views_cover.cover_list, name="cover_list"),
    path(
        "cover/<int:absence_pk>/cases/<int:case_pk>/",
        views_cover.cover_assign,
        name="cover_assign",
    ),
    path("cover/<int:absence_pk>/all/", views_cover.cover_assign_all, name="cover_assign_all"),
    path("directory/", views_cover.directory, name="directory"),
    path("directory/manage/", views_cover.directory_edit, name="directory_edit"),
    path(
        "directory/<int:pk>/edit/",
        views_cover.directory_entry_edit,
        name="directory_entry_edit",
    ),
    path(
        "directory/<int:pk>/remove/",
        views_cover.directory_entry_remove,
        name="directory_entry_remove",
    ),
]
