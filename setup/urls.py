"""Setting a school up, under /setup/: each feature's URL set, all in the "setup" namespace."""

from setup.categories.urls import urlpatterns as category_urls
from setup.checklist.urls import urlpatterns as checklist_urls
from setup.settings_area.urls import urlpatterns as settings_urls

app_name = "setup"

urlpatterns = [
    *checklist_urls,
    *settings_urls,
    *category_urls,
]
