from django.apps import AppConfig


class DpoConfig(AppConfig):
    name = "dpo"
    verbose_name = "Data Protection Officer"
