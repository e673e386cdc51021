"""A school's concern categories, under /setup/ (app_name "setup"): schools and categories by
id only."""

from django.urls import path

from setup.categories import views

urlpatterns: list = [
    path("categories/", views.categories_home, name="categories_home"),
    path("schools/<int:school_pk>/categories/", views.category_list, name="category_list"),
    path("schools/<int:school_pk>/categories/new/", views.category_add, name="category_add"),
    path(
        "schools/<int:school_pk>/categories/history/",
        views.category_history,
        name="category_history",
    ),
    path(
        "schools/<int:school_pk>/categories/<int:pk>/",
        views.category_change,
        name="category_change",
    ),
]
