"""Messages to groups of families; included under /contacts/ by contacts/urls.py."""

from django.urls import path

from contacts.messages import views as views_messages

urlpatterns: list = [
    path("messages/", views_messages.message_list, name="message_list"),
    path("messages/new/", views_messages.message_new, name="message_new"),
    path("messages/<int:pk>/", views_messages.message_detail, name="message_detail"),
]
