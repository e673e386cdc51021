"""Carers' portal accounts; included under /family/ by families/urls.py. Staff pages, under
/family/staff/, address the pupil and carer by id; the invitation link by its token alone."""

from django.urls import path

from families.accounts import views

urlpatterns: list = [
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("messages/", views.carer_messages, name="messages"),
    path("staff/pupil/<int:pk>/", views.pupil_portal, name="pupil_portal"),
    path(
        "staff/pupil/<int:pk>/carer/<int:carer_pk>/invite/",
        views.carer_invite,
        name="carer_invite",
    ),
    path("staff/pupil/<int:pk>/carer/<int:carer_pk>/end/", views.carer_end, name="carer_end"),
    path(
        "staff/pupil/<int:pk>/carer/<int:carer_pk>/restriction/",
        views.carer_restriction,
        name="carer_restriction",
    ),
]
