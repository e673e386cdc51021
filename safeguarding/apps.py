from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self) -> None:
        from contacts.selectors import mark_today_rows_with
        from safeguarding.services import concern_categories_for_new_school
        from safeguarding.sessions.services import ground_rules_markers
        from schools.signals import school_created

        school_created.connect(concern_categories_for_new_school, dispatch_uid="sg-categories")
        # Today (in contacts, below this app) shows which families agreed the ground rules.
        mark_today_rows_with(ground_rules_markers)
