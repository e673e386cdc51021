from setup.checklist.urls import urlpatterns as checklist_urls

app_name = "setup"

urlpatterns = [*checklist_urls]
