"""The machine-readable file: the subject access structure as JSON."""

import datetime
import json
from dataclasses import asdict
from typing import Any
from zoneinfo import ZoneInfo

from dpo.subject_access.structure import SubjectAccessRecord

# Times in the file are the school's: UK time, with the offset that applied (GMT or BST).
LONDON = ZoneInfo("Europe/London")


def _json_default(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.astimezone(LONDON).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def subject_access_json(record: SubjectAccessRecord) -> bytes:
    """The record as UTF-8 JSON: keys in the structure's fixed order, dates as ISO 8601 and
    times with their UK offset. Text stays exactly as typed (no HTML escaping)."""
    text = json.dumps(asdict(record), default=_json_default, ensure_ascii=False, indent=2)
    return text.encode("utf-8")
