from django.urls import path

from safeguarding.chronology import views

urlpatterns = [
    path(
        "pupils/<int:pupil_pk>/chronology/print/",
        views.chronology_print_new,
        name="chronology_print_new",
    ),
    path(
        "chronology-prints/<int:pk>/", views.chronology_print_detail, name="chronology_print_detail"
    ),
    path(
        "chronology-prints/<int:pk>/download/",
        views.chronology_print_download,
        name="chronology_print_download",
    ),
    path(
        "chronology-prints/<int:pk>/words/",
        views.chronology_print_words,
        name="chronology_print_words",
    ),
    path(
        "chronology-prints/<int:pk>/release/",
        views.chronology_print_confirm,
        name="chronology_print_confirm",
    ),
]
