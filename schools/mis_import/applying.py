"""Writing a plan: under a lock on the school, all of it and the audit row, or nothing."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from accounts.models import User
from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.mis_import.plan import UNCHANGED, Plan, RowError
from schools.mis_import.planning import mis_import_plan
from schools.models import MisImport, MisImportSource, School


class _ApplyFailed(Exception):
    def __init__(self, error: RowError):
        self.error = error


def _point_foreign_keys_at_saved(obj: models.Model) -> None:
    # A parent created earlier in this import (a new site, a new staff account) was assigned
    # before it had a primary key; copy the key across now that it has one.
    for model_field in obj._meta.concrete_fields:
        if model_field.is_relation and model_field.is_cached(obj):
            related = model_field.get_cached_value(obj)
            if related is not None:
                setattr(obj, model_field.attname, related.pk)


def progress_key(run_id: int) -> str:
    return f"schools:mis-import:{run_id}:saved"


def mis_import_apply(*, run: MisImport) -> Plan:
    """Phase two: plan again under a lock on the school and, only if every row is good, write
    everything and the audit row in one transaction. Returns the plan (with any errors)."""
    try:
        with transaction.atomic():
            # Two imports into one school at once would plan against each other's stale data.
            School.objects.select_for_update().filter(pk=run.school_id).first()
            plan = mis_import_plan(school=run.school, kind=run.kind, data=bytes(run.content))
            if plan.errors:
                return plan
            to_save = [c for c in plan.changes if c.action != UNCHANGED]
            for number, change in enumerate(to_save, 1):
                _point_foreign_keys_at_saved(change.obj)
                # Users are saved with an unusable password, which full_clean() would refuse.
                exclude = ["password"] if isinstance(change.obj, User) else None
                try:
                    change.obj.full_clean(exclude=exclude)
                    change.obj.save()
                except ValidationError as exc:
                    raise _ApplyFailed(RowError(change.line, "", " ".join(exc.messages))) from None
                except IntegrityError:
                    # Only a concurrent change outside imports can get here.
                    reason = "the data changed while importing; run the import again"
                    raise _ApplyFailed(RowError(change.line, "", reason)) from None
                if number % 50 == 0:
                    # Inside the transaction the row is invisible to the status page: the
                    # cache (Redis in production) is not.
                    cache.set(progress_key(run.pk), (number, len(to_save)), 3600)
            access_record(
                action=AccessAction.IMPORT,
                actor=Actor.for_user(run.uploaded_by),
                subject=run,
                detail=f"{run.kind}: {plan.summary()}",
                route="schools:import_upload"
                if run.source == MisImportSource.WEB
                else "manage.py import_mis",
            )
    except _ApplyFailed as failed:
        plan.errors.append(failed.error)
    return plan


def saving_progress(run: MisImport) -> tuple[int, int] | None:
    return cache.get(progress_key(run.pk))
