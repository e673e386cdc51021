from contacts.urls_cover import urlpatterns as cover_urls
from contacts.urls_messages import urlpatterns as message_urls
from contacts.urls_today import urlpatterns as today_urls

app_name = "contacts"

urlpatterns = [*today_urls, *cover_urls, *message_urls]
