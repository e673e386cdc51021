from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff accounts are made by administrators or by the MIS import, never by sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class StaffMfaAdapter(DefaultMFAAdapter):
    pass
