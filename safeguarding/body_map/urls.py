from django.urls import path

from safeguarding.body_map import views

urlpatterns = [
    path("concerns/<int:pk>/body-map/marks/", views.body_mark_add, name="body_mark_add"),
]
