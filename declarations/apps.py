from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "declarations"
    verbose_name = "Device declarations"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from declarations.services import declaration_sign_in_reminder

        # Staff without a current device declaration are reminded as they sign in.
        user_logged_in.connect(
            declaration_sign_in_reminder, dispatch_uid="declarations_declaration_reminder"
        )
