"""The bundle is sealed in the background, like a printed chronology: sending records the
transfer and its code at once and hands the sealing to a Celery task (idempotent); the page
says the file is being prepared until it is sealed, and the receiving DSL's email goes only
once the bundle is sealed. A bundle that cannot be made says so, sends nothing, and the file
can be sent again."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from core.actor import Actor
from core.outbox import send_pending
from core.tasks import send_outbox
from safeguarding.models import FileTransfer, PrintStatus, TransferLinkEmail
from safeguarding.transfers import services
from tests.conftest import client_for
from tests.safeguarding.transfers.helpers import autumn_term, leaving_for


@pytest.fixture(autouse=True)
def setting(world):
    autumn_term(world)
    with mock.patch.object(send_outbox, "apply_async"):
        yield


def send(world):
    return services.file_transfer_send(actor=Actor.for_user(world.users["dsl"]), pupil=world.pupil)


def page(world):
    return client_for(world.users["dsl"]).get(
        reverse("safeguarding:pupil_transfer", args=[world.pupil.pk])
    )


def test_sending_hands_the_sealing_to_a_task_and_holds_the_email(
    world, django_capture_on_commit_callbacks
):
    leaving_for(world)
    with (
        mock.patch("safeguarding.tasks.seal_file_transfer.apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        transfer, code = send(world)
    assert queued.call_args.kwargs["args"] == (transfer.pk,)
    transfer.refresh_from_db()
    assert transfer.status == PrintStatus.QUEUED and not transfer.storage_name and code
    assert send_pending(TransferLinkEmail) == 0 and not mail.outbox
    body = page(world).content.decode()
    assert "Being prepared" in body and "hx-trigger" in body


def test_the_sealed_bundle_releases_the_email_once(world):
    leaving_for(world)
    transfer, _ = send(world)
    sealed = services.file_transfer_seal(transfer_id=transfer.pk)
    assert sealed.status == PrintStatus.READY and sealed.storage_name and len(sealed.digest) == 64
    assert services.file_transfer_seal(transfer_id=transfer.pk) is None  # delivered twice
    assert FileTransfer.objects.get().storage_name == sealed.storage_name
    assert send_pending(TransferLinkEmail) == 1 and len(mail.outbox) == 1
    body = page(world).content.decode()
    assert sealed.digest in body and "Being prepared" not in body and "hx-trigger" not in body


def test_the_page_polls_only_the_files_sent(world):
    leaving_for(world)
    send(world)
    url = reverse("safeguarding:pupil_transfer", args=[world.pupil.pk])
    partial = client_for(world.users["dsl"]).get(url, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert partial.status_code == 200 and 'id="files-sent"' in body and "<html" not in body


def test_a_bundle_that_cannot_be_made_sends_nothing_and_may_be_sent_again(world):
    leaving_for(world)
    transfer, _ = send(world)
    with mock.patch(
        "safeguarding.transfers.services.bundle_make", side_effect=RuntimeError("broken")
    ):
        failed = services.file_transfer_seal(transfer_id=transfer.pk)
    assert failed.status == PrintStatus.FAILED and not failed.storage_name
    assert not TransferLinkEmail.objects.exists()
    assert "could not be prepared" in page(world).content.decode()
    again, _ = send(world)
    assert services.file_transfer_seal(transfer_id=again.pk).status == PrintStatus.READY


def test_a_link_of_a_file_still_being_prepared_does_not_open(world):
    leaving_for(world)
    send(world)
    token = TransferLinkEmail.objects.get().link.rstrip("/").rsplit("/", 1)[-1]
    response = client_for(None).get(reverse("file_transfer:receive", args=[token]))
    assert response.status_code == 410 and "being prepared" in response.content.decode()


def test_the_page_hands_the_sealing_to_its_task(world, django_capture_on_commit_callbacks):
    from safeguarding.tasks import seal_file_transfer

    leaving_for(world)
    worker = mock.Mock(name="the worker")
    # The worker's part, run here as the worker would: the named task with the ids it was sent.
    worker.apply_async.side_effect = lambda args=(), kwargs=None: seal_file_transfer.run(*args)
    with (
        mock.patch("core.queue.task_named", return_value=worker) as looked_up,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client_for(world.users["dsl"]).post(
            reverse("safeguarding:transfer_send", args=[world.pupil.pk])
        )
    assert looked_up.call_args.args == ("safeguarding.seal_file_transfer",)
    assert worker.apply_async.call_count == 1
    assert FileTransfer.objects.get().status == PrintStatus.READY
    assert TransferLinkEmail.objects.get().next_attempt_at is not None


def test_lost_tasks_are_sent_again_by_the_sweep(world):
    leaving_for(world)
    transfer, _ = send(world)
    FileTransfer.objects.filter(pk=transfer.pk).update(
        made_at=transfer.made_at - services.SEAL_LOST_AFTER * 2
    )
    with mock.patch("safeguarding.tasks.seal_file_transfer.apply_async") as queued:
        from safeguarding.tasks import sweep_file_transfers

        with mock.patch("django.db.transaction.on_commit", lambda f: f()):
            assert sweep_file_transfers() == 1
    assert queued.call_args.kwargs["args"] == (transfer.pk,)
