from django.apps import AppConfig


class RemoteLearningConfig(AppConfig):
    name = "remote_learning"
    verbose_name = "Remote learning"
