"""The one way a gate says no: write one DENIED row to the access audit, then refuse.

404 where the person may not know the thing exists (it then looks exactly like a record that
does not exist, so nobody can probe for one); 403 where they may see it but not do this.
Every ``access_<thing>`` gate in the apps' permissions.py refuses through here.
"""

from typing import Literal, NoReturn

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record

Access = Literal["read", "act"]


def refusal_record(
    actor: Actor,
    *,
    detail: str,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str | int = "",
    pupil_id: int | None = None,
) -> None:
    """Write the one DENIED row (``detail`` names what was refused, never a person). For a
    refusal the page shows at a field instead of raising; gates call ``refuse``."""
    access_record(
        action=AccessAction.DENIED,
        actor=actor,
        subject=subject,
        subject_type=subject_type,
        subject_id=subject_id,
        pupil_id=pupil_id,
        detail=detail,
    )


def refuse(
    actor: Actor,
    *,
    detail: str,
    status: Literal[403, 404] = 404,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str | int = "",
    pupil_id: int | None = None,
) -> NoReturn:
    """Audit the refusal, then raise the answer the person gets."""
    refusal_record(
        actor,
        detail=detail,
        subject=subject,
        subject_type=subject_type,
        subject_id=subject_id,
        pupil_id=pupil_id,
    )
    if status == 403:
        raise PermissionDenied
    raise Http404


def refuse_unless(
    allowed: bool, actor: Actor, *, detail: str, status: Literal[403, 404] = 404
) -> None:
    """For a page about no one record (a list, a form): let the person through or refuse."""
    if not allowed:
        refuse(actor, detail=detail, status=status)
