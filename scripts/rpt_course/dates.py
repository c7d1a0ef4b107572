"""Course dates: authors write UTC dates; OLX wants ISO 8601 ending in Z."""
from __future__ import annotations

import re
from datetime import datetime, timezone

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?Z$")

HOW = "write a UTC date like 2027-01-11 or 2027-01-11T14:00:00Z"


def parse_date(text) -> datetime | None:
    """The UTC datetime `text` names, or None if it is not one of the accepted forms or not a real date."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    try:
        if _DATE.match(text):
            return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
        if _DATETIME.match(text):
            return datetime.fromisoformat(text[:-1].replace(" ", "T")).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return None


def olx_date(moment: datetime) -> str:
    """The OLX form of a date: 2027-01-11T00:00:00Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
