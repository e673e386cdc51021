"""Runs: the upload page, the command and the Celery task all go through these."""

import datetime
import logging
import traceback

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from core.queue import enqueue_on_commit
from schools.mis_import.applying import mis_import_apply, progress_key
from schools.mis_import.planning import mis_import_plan
from schools.models import MisImport, MisImportSource, MisImportStatus, School

logger = logging.getLogger(__name__)

# Files up to this many rows are imported while the upload page waits; larger ones go to Celery.
DEFAULT_SYNC_MAX_ROWS = 200


def sync_max_rows() -> int:
    return getattr(settings, "MIS_IMPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS)


def mis_import_start(
    *,
    school: School,
    kind: str,
    data: bytes,
    file_name: str = "",
    dry_run: bool = True,
    user: object | None = None,
    source: str = MisImportSource.WEB,
    background: bool | None = None,
) -> MisImport:
    """Record the run, then process it now (small files, the command) or in Celery."""
    estimated_rows = max(0, data.count(b"\n") - 1)
    if background is None:
        background = estimated_rows > sync_max_rows()
    with transaction.atomic():
        run = MisImport(
            school=school,
            kind=kind,
            dry_run=dry_run,
            source=source,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            file_name=file_name[:255],
            content=data,
            rows_total=estimated_rows,
        )
        run.full_clean()
        run.save()
        if background:
            enqueue_on_commit("schools.tasks.mis_import_process_task", run.pk)
    if not background:
        mis_import_process(run_id=run.pk)
        run.refresh_from_db()
    return run


def mis_import_can_apply(run: MisImport) -> bool:
    """A clean dry run whose file is still kept can be imported for real."""
    has_file = getattr(run, "has_file", None)
    if has_file is None:
        has_file = run.content is not None
    return run.dry_run and run.status == MisImportStatus.CHECKED and has_file


def mis_import_apply_checked(*, run: MisImport, user: object) -> MisImport:
    """Import for real the file of a clean dry run, as a new run (the dry run's report stays).
    The file is checked again: the school's data may have changed since."""
    source = MisImport.objects.select_related("school").get(pk=run.pk)
    if not mis_import_can_apply(source):
        raise ValueError("Only a clean dry run whose file is kept can be imported.")
    data = bytes(source.content)
    # The new run holds its own copy; one copy of personal data is enough.
    MisImport.objects.filter(pk=source.pk).update(content=None)
    return mis_import_start(
        school=source.school,
        kind=source.kind,
        data=data,
        file_name=source.file_name,
        dry_run=False,
        user=user,
    )


def _set_progress(run_id: int, done: int, total: int) -> None:
    MisImport.objects.filter(pk=run_id).update(rows_done=done, rows_total=total)


def mis_import_process(*, run_id: int) -> MisImport | None:
    """Check, and unless a dry run import, one queued run. Idempotent: a run that is already
    taken or finished is left alone, so a redelivered task does nothing."""
    claimed = MisImport.objects.filter(pk=run_id, status=MisImportStatus.QUEUED).update(
        status=MisImportStatus.CHECKING, started_at=timezone.now(), rows_done=0
    )
    if not claimed:
        return None
    run = MisImport.objects.select_related("school", "uploaded_by").get(pk=run_id)
    try:
        plan = mis_import_plan(
            school=run.school,
            kind=run.kind,
            data=bytes(run.content),
            progress=lambda done, total: _set_progress(run_id, done, total),
        )
        if not plan.errors and not run.dry_run:
            MisImport.objects.filter(pk=run_id).update(status=MisImportStatus.WRITING)
            plan = mis_import_apply(run=run)
    except Exception as exc:
        # The exception's message may quote a row: log its type and where it happened only
        # (no personal data in logs).
        where = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("MIS import %s stopped: %s\n%s", run_id, type(exc).__name__, where)
        run.status = MisImportStatus.ERROR
        run.report = {
            "errors": [
                {
                    "line": None,
                    "column": "",
                    "reason": "The import stopped unexpectedly and nothing was saved. "
                    "Try again; if it happens again, ask IT to check the logs.",
                }
            ]
        }
    else:
        if plan.errors:
            run.status = MisImportStatus.FAILED
        elif run.dry_run:
            run.status = MisImportStatus.CHECKED
        else:
            run.status = MisImportStatus.APPLIED
        run.report = plan.report()
        run.rows_total = run.rows_done = plan.rows
        logger.info("MIS import %s %s: %s", run_id, run.status, plan.summary())
    if run.status != MisImportStatus.CHECKED:
        run.content = None  # keep personal data only while it may still be imported
    run.finished_at = timezone.now()
    run.save(
        update_fields=["status", "report", "rows_total", "rows_done", "content", "finished_at"]
    )
    cache.delete(progress_key(run_id))
    return run


def mis_imports_sweep(
    *, queued_for: datetime.timedelta, running_for: datetime.timedelta, keep_for: datetime.timedelta
) -> None:
    """Run imports whose Celery message was lost, close ones a dead worker left running, and
    forget the files of dry runs nobody imported."""
    now = timezone.now()
    stale = MisImport.objects.filter(status=MisImportStatus.QUEUED, created_at__lt=now - queued_for)
    for run_id in stale.values_list("pk", flat=True):
        mis_import_process(run_id=run_id)
    reason = "The import was interrupted and nothing was saved. Upload the file again."
    interrupted = {"errors": [{"line": None, "column": "", "reason": reason}]}
    MisImport.objects.filter(
        status__in=[MisImportStatus.CHECKING, MisImportStatus.WRITING],
        started_at__lt=now - running_for,
    ).update(status=MisImportStatus.ERROR, report=interrupted, content=None, finished_at=now)
    MisImport.objects.filter(
        status=MisImportStatus.CHECKED, content__isnull=False, finished_at__lt=now - keep_for
    ).update(content=None)


def mis_import_runs() -> QuerySet[MisImport]:
    """Runs for the pages: without the file itself, but knowing whether it is still kept."""
    return (
        MisImport.objects.select_related("school", "uploaded_by")
        .defer("content")
        .annotate(has_file=ExpressionWrapper(Q(content__isnull=False), output_field=BooleanField()))
    )
