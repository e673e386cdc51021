from allauth.account.decorators import secure_admin_login
from django.contrib.admin import AdminSite


def protect_admin_login(site: AdminSite) -> None:
    """Send the admin's sign-in through allauth, so MFA and its rate limits apply there too."""
    site.login = secure_admin_login(site.login)
