from cases.urls_cases import urlpatterns as case_urls
from cases.urls_closures import urlpatterns as closure_urls

app_name = "cases"

urlpatterns = [*case_urls, *closure_urls]
