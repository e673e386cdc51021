from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class RemoteLearningConfig(AppConfig):
    name = "remote_learning"
    verbose_name = "Remote learning"

    def ready(self) -> None:
        # The development broker keeps its queue in folders; make them before anything sends a
        # task (loading the demo does), wherever DJANGO_VAR_DIR points.
        if str(getattr(settings, "CELERY_BROKER_URL", "")).startswith("filesystem://"):
            options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
            for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
                Path(options[key]).mkdir(parents=True, exist_ok=True)
