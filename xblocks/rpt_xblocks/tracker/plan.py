"""The learner's plan: when they expect to apply for AU status and which case categories they seek.

Contract: `plan_from_request(data, today)` checks untrusted JSON `{"application_date": "YYYY-MM-DD"
or "" or null, "categories": ["G1", …]}` and returns the plan to store, `{"application_date": str
or None, "categories": sorted unique ids}`, or raises `PlanError(field, message)`, the message a
learner-facing text. The date may lie up to MAX_YEARS_AHEAD years ahead, never before today.
"""
from __future__ import annotations

from datetime import date

from rpt_xblocks.tracker.vocabulary import CASE_CATEGORIES
from rpt_xblocks.translation import _

MAX_YEARS_AHEAD = 15
_KEYS = {"application_date", "categories"}


class PlanError(ValueError):
    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def plan_from_request(data: object, today: date) -> dict:
    if not isinstance(data, dict) or set(data) - _KEYS:
        raise PlanError(None, _("Send the planned application date and the categories you seek, nothing else."))
    raw_date = data.get("application_date")
    application_date = None
    if raw_date not in (None, ""):
        try:
            if not isinstance(raw_date, str) or len(raw_date) != 10:
                raise ValueError
            parsed = date.fromisoformat(raw_date)
        except ValueError:
            raise PlanError("application_date", _("Enter the planned application date as a date.")) from None
        if parsed < today or parsed.year > today.year + MAX_YEARS_AHEAD:
            raise PlanError("application_date", _("The planned application date must be between today and {years} "
                                                  "years from now.").format(years=MAX_YEARS_AHEAD))
        application_date = parsed.isoformat()
    categories = data.get("categories", [])
    if not isinstance(categories, list) or not all(isinstance(c, str) and c in CASE_CATEGORIES for c in categories):
        raise PlanError("categories", _("Choose categories from the list: {ids}.").format(ids=", ".join(CASE_CATEGORIES)))
    return {"application_date": application_date, "categories": sorted(set(categories))}
