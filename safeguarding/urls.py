from safeguarding.urls_concerns import urlpatterns as concern_urls
from safeguarding.urls_dashboard import urlpatterns as dashboard_urls
from safeguarding.urls_sessions import urlpatterns as session_urls

app_name = "safeguarding"

urlpatterns = [*concern_urls, *dashboard_urls, *session_urls]
