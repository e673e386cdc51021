"""Recording marks on a physical concern's body map.

One transaction each, an audit row in it. A mark is never edited: a correction is a new mark
that supersedes the old one, with the reason, and the old one stays as it was recorded.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.body_map import outline
from safeguarding.models import TEXT_LIMIT, BodyMark, BodyMarkKind, Concern
from safeguarding.permissions import can_add_body_marks, can_triage_concern
from safeguarding.services import _open_concern, _require_text

NOT_THE_DSL_TEAM = (
    "Only the DSL team of the pupil's site and the headteacher add marks, and the member of "
    "staff who raised the concern until it is acknowledged."
)
NO_BODY_MAP = "This concern's category does not record a body map."
OUT_OF_RANGE = "Place the mark on the outline: across and down run from 0 to 100."
OFF_THE_BODY = "This point is outside the body outline: place the mark on the body."


def current_marks(concern: Concern) -> QuerySet[BodyMark]:
    """The marks as they stand now: those no later mark has corrected."""
    return BodyMark.objects.filter(concern=concern, superseded_by__isnull=True)


def _place(view: str, region: str, x: float | None, y: float | None) -> outline.Region:
    """The region the mark is on: worked out from the point when there is one, or the region
    chosen from the list (placed at its centre) by someone not using a mouse."""
    if x is None and y is None:
        chosen = outline.region(view, region)
        if chosen is None:
            raise ValidationError({"region": "Choose where on the body, or click the outline."})
        return chosen
    if x is None or y is None:
        missing = "x" if x is None else "y"
        raise ValidationError({missing: "Give both across and down, or neither."})
    for field, value in (("x", x), ("y", y)):
        if not 0 <= value <= 100:
            raise ValidationError({field: OUT_OF_RANGE})
    found = outline.region_at(view, x, y)
    if found is None:
        raise ValidationError({"x": OFF_THE_BODY})
    if region and region != found.key:
        raise ValidationError(
            {
                "region": f"The point placed on the outline is on the {found.name}: choose "
                "that, or clear the point to use the list."
            }
        )
    return found


def _superseded(actor: Actor, concern: Concern, pk: int | None, reason: str) -> BodyMark | None:
    """The mark a correction replaces: a current mark of this concern, and for the reporter one
    of their own (the DSL team's marks are not theirs to see or correct)."""
    if pk is None:
        return None
    # Lock the mark row only: the reverse link it is filtered on is an outer join.
    old = BodyMark.objects.select_for_update(of=("self",)).filter(
        pk=pk, concern=concern, superseded_by__isnull=True
    )
    if not can_triage_concern(actor.user, concern):
        old = old.filter(recorded_by=actor.user)
    old = old.first()
    if old is None:
        raise ValidationError({"supersedes": "Choose one of this concern's current marks."})
    _require_text("correction_reason", reason, label="why the mark is being corrected")
    return old


@transaction.atomic
def body_mark_add(
    *,
    actor: Actor,
    concern: Concern,
    view: str,
    kind: str,
    size: str,
    seen_by: str,
    seen_at: datetime.datetime | None,
    region: str = "",
    x: float | None = None,
    y: float | None = None,
    colour: str = "",
    childs_explanation: str = "",
    supersedes: int | None = None,
    correction_reason: str = "",
) -> BodyMark:
    concern = _open_concern(concern)
    if not can_add_body_marks(actor.user, concern):
        raise ValidationError(NOT_THE_DSL_TEAM)
    if not concern.category.records_body_map:
        raise ValidationError(NO_BODY_MAP)
    if view not in outline.VIEWS:
        raise ValidationError({"view": "Choose the front or the back."})
    place = _place(view, region, x, y)
    if kind not in BodyMarkKind.values:
        raise ValidationError({"kind": "Choose what kind of mark it is."})
    _require_text("size", size, label="its size, for example: about 2 cm", limit=100)
    _require_text("seen_by", seen_by, label="who saw it", limit=300)
    if seen_at is None:
        raise ValidationError({"seen_at": "Give when it was seen."})
    if seen_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"seen_at": "This time is in the future."})
    if len(childs_explanation) > TEXT_LIMIT:
        raise ValidationError({"childs_explanation": f"Keep this under {TEXT_LIMIT:,} characters."})
    old = _superseded(actor, concern, supersedes, correction_reason)
    x, y = (round(x, 1), round(y, 1)) if x is not None else place.centre
    mark = BodyMark(
        concern=concern,
        view=view,
        x=x,
        y=y,
        region=place.key,
        region_name=place.name,
        kind=kind,
        size=size,
        colour=colour,
        childs_explanation=childs_explanation,
        seen_by=seen_by,
        seen_at=seen_at,
        supersedes=old,
        correction_reason=correction_reason if old else "",
        recorded_by=actor.user,
    )
    mark.full_clean()
    mark.save()
    access_record(
        action=AccessAction.CREATE,
        subject=mark,
        pupil_id=concern.pupil_id,
        actor=actor,
        detail=f"corrects mark {old.pk}" if old else "",
    )
    return mark
