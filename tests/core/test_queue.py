"""Tasks go to the broker only after the database commits, and a broker outage never fails
the request that asked for them."""

import logging

import pytest
from django.db import transaction

from core.queue import enqueue_on_commit, task_named

pytestmark = pytest.mark.django_db


class RecordingTask:
    """Stands in for a Celery task: records what it was sent, or fails like a dead broker."""

    name = "tests.remote_learning.recording_task"

    def __init__(self, *, broker_down: bool = False) -> None:
        self.broker_down = broker_down
        self.sent: list[tuple[tuple, dict]] = []

    def apply_async(self, args=(), kwargs=None, **options):
        if self.broker_down:
            raise ConnectionRefusedError("[Errno 111] Connection refused")
        self.sent.append((tuple(args), dict(kwargs or {})))


def test_nothing_is_sent_before_the_transaction_commits(django_capture_on_commit_callbacks):
    task = RecordingTask()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(task, 41, flag_id=7)
        assert task.sent == []

    assert len(callbacks) == 1
    assert task.sent == []


def test_the_task_is_sent_with_its_arguments_once_committed(django_capture_on_commit_callbacks):
    task = RecordingTask()

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(task, 41, flag_id=7)

    assert task.sent == [((41,), {"flag_id": 7})]


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    task = RecordingTask()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(task, 41)
        raise RuntimeError("the write failed")

    assert callbacks == []
    assert task.sent == []


def test_a_broker_outage_is_logged_not_raised(django_capture_on_commit_callbacks, caplog):
    task = RecordingTask(broker_down=True)

    with (
        caplog.at_level(logging.WARNING, logger="core.queue"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_on_commit(task, 41, pupil_id=1234)

    (record,) = [r for r in caplog.records if r.name == "core.queue"]
    assert record.levelno == logging.WARNING
    assert task.name in record.getMessage()
    # Only the task's name is logged, never its arguments.
    assert "1234" not in record.getMessage()


def test_outside_a_transaction_the_task_is_sent_at_once(transactional_db):
    task = RecordingTask()

    enqueue_on_commit(task, 41)

    assert task.sent == [((41,), {})]


def test_a_task_named_rather_than_imported_is_found_when_it_is_sent(
    django_capture_on_commit_callbacks, monkeypatch
):
    from celery import current_app

    task = RecordingTask()
    monkeypatch.setitem(current_app.tasks, task.name, task)

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(task.name, 41)

    assert task.sent == [((41,), {})]


def test_every_task_a_service_names_is_found_by_that_name():
    for name in (
        "schools.tasks.mis_import_process_task",
        "oversight.tasks.oversight_report_render_task",
    ):
        assert task_named(name).name == name
