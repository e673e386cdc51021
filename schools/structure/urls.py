"""School setup, mounted in the schools namespace (schools/urls.py)."""

from django.urls import path

from schools.structure import views

urlpatterns = [
    path("setup/structure/", views.structure, name="structure"),
    path("setup/schools/new/", views.school_new, name="school_new"),
    path("setup/schools/<int:pk>/", views.school_edit, name="school_edit"),
    path("setup/schools/<int:pk>/sites/new/", views.site_new, name="site_new"),
    path("setup/schools/<int:pk>/pathways/new/", views.pathway_new, name="pathway_new"),
    path("setup/schools/<int:pk>/classes/new/", views.class_new, name="class_new"),
    path("setup/sites/<int:pk>/", views.site_edit, name="site_edit"),
    path("setup/sites/<int:pk>/archive/", views.site_archive, name="site_archive"),
    path("setup/sites/<int:pk>/restore/", views.site_restore, name="site_restore"),
    path("setup/pathways/<int:pk>/", views.pathway_edit, name="pathway_edit"),
    path("setup/pathways/<int:pk>/archive/", views.pathway_archive, name="pathway_archive"),
    path("setup/pathways/<int:pk>/restore/", views.pathway_restore, name="pathway_restore"),
    path("setup/classes/<int:pk>/", views.class_edit, name="class_edit"),
    path("setup/classes/<int:pk>/archive/", views.class_archive, name="class_archive"),
    path("setup/classes/<int:pk>/restore/", views.class_restore, name="class_restore"),
]
