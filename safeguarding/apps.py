from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self) -> None:
        from safeguarding.services import concern_categories_for_new_school
        from schools.signals import school_created

        school_created.connect(concern_categories_for_new_school, dispatch_uid="sg-categories")
