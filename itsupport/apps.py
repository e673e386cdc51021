from django.apps import AppConfig


class ItsupportConfig(AppConfig):
    name = "itsupport"
    verbose_name = "IT support"
