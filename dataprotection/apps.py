from django.apps import AppConfig


class DataprotectionConfig(AppConfig):
    name = "dataprotection"
    verbose_name = "Data protection"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from dataprotection.services_declarations import declaration_sign_in_reminder

        # Staff without a current device declaration are reminded as they sign in.
        user_logged_in.connect(
            declaration_sign_in_reminder, dispatch_uid="dataprotection_declaration_reminder"
        )
