"""The Celery app: the beat schedule only names tasks that exist."""

import pytest
from django.conf import settings

from remote_learning.celery import app


@pytest.fixture(scope="module")
def registered_tasks(django_db_blocker) -> set[str]:
    # Celery's Django fix-up runs the system checks on import, and one of them asks SQLite
    # whether it supports JSON.
    with django_db_blocker.unblock():
        app.loader.import_default_modules()
    return set(app.tasks)


def test_the_beat_schedule_is_not_empty():
    assert app.conf.beat_schedule


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_scheduled_job_names_a_registered_task(entry, registered_tasks):
    assert app.conf.beat_schedule[entry]["task"] in registered_tasks


def test_every_app_task_module_is_discovered(registered_tasks):
    assert "accounts.tasks.clear_expired_sessions" in registered_tasks


def test_scheduled_jobs_run_on_london_time():
    assert app.conf.timezone == "Europe/London"
    assert app.conf.enable_utc is True


def test_the_development_broker_folders_exist_before_any_task_is_sent(settings, tmp_path):
    from django.apps import apps

    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
    }
    apps.get_app_config("remote_learning").ready()
    assert all((tmp_path / name).is_dir() for name in ("queue", "processed", "control"))
