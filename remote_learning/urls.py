from django.contrib import admin
from django.urls import include, path

from accounts.admin_login import protect_admin_login
from remote_learning import views

protect_admin_login(admin.site)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("schools.urls")),
    path("cases/", include("cases.urls")),
    path("contacts/", include("contacts.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    path("file-transfer/", include("safeguarding.transfers.public_urls")),
    path("oversight/", include("oversight.urls")),
    path("tasks/", include("oversight.my_tasks.urls")),
    path("setup/", include("setup.urls")),
    path("family/", include("families.urls")),
    path("governance/", include("governance.urls")),
    path("data-protection/subject-access/", include("dpo.subject_access.urls")),
    path("data-protection/", include("dpo.urls")),
    path("declaration/", include("declarations.urls")),
    path("it/device-declarations/", include("declarations.compliance.urls")),
    path("it/", include("itsupport.urls")),
    path("admin/", admin.site.urls),
]
