from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest
from django.urls import reverse


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff accounts are made by administrators or by the MIS import, never by sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """A carer lands on the carers' portal (a page of a higher app, named by URL only)."""
        if getattr(request.user, "is_carer", False):
            return reverse("families:home")
        return super().get_login_redirect_url(request)


class StaffMfaAdapter(DefaultMFAAdapter):
    pass
