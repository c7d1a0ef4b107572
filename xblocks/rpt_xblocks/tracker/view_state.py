"""The parts of the tracker's state the page shows as sentences or per-entry flags: pure functions.

Contract:
- `shown_entries(entries, decisions)`: each entry with its `status` ("pending", "verified",
  "rejected") and `review` ({by, at, comment, override} or None), in entry order.
- `summary(progress_data, entries, ngettext)`: the short progress summary the learner sees first:
  {"percent": whole number, "met", "applicable", "awaiting", "rejected_open", "sentences": [...]};
  the sentences are translated with `ngettext(singular, plural, n)` and formatted here (the script
  has no gettext). `rejected_open` counts live rejected entries not corrected yet.
- `review_view(page, reviewer, queue, ngettext)`: one queue page (queue.review_page) with, on each
  entry, `may_decide` and `override` (preceptors.may_decide: the server checks again on decide),
  plus `queue` ("mine" or "all"), `override` (the reviewer holds it) and `total_text`.
"""
from __future__ import annotations

from rpt_xblocks.tracker.preceptors import Reviewer, may_decide


def shown_entries(entries: list, decisions: list) -> list:
    records = {r["entry"]: r for r in decisions}
    shown = []
    for entry in entries:
        record = records.get(entry["id"])
        review = None
        if record:
            review = {"by": record["by"], "at": record["at"], "comment": record["comment"]}
            if record.get("override"):
                review["override"] = True
        shown.append({**entry, "status": record["decision"] if record else "pending", "review": review})
    return shown


def summary(progress_data: dict, entries: list, ngettext) -> dict:
    applicable = [r for r in progress_data["requirements"] if r["status"] != "not_sought"]
    met = sum(1 for r in applicable if r["status"] == "met")
    awaiting = sum(1 for e in entries if not e.get("deleted") and e["status"] == "pending")
    rejected_open = sum(1 for e in entries if not e.get("deleted") and e["status"] == "rejected"
                        and not e.get("corrected_by"))
    sentences = [ngettext("{met} of {total} requirement met.", "{met} of {total} requirements met.",
                          len(applicable)).format(met=met, total=len(applicable))]
    if awaiting:
        sentences.append(ngettext("{n} entry is awaiting verification.", "{n} entries are awaiting verification.",
                                  awaiting).format(n=awaiting))
    if rejected_open:
        sentences.append(ngettext("{n} rejected entry can be corrected and sent again.",
                                  "{n} rejected entries can be corrected and sent again.",
                                  rejected_open).format(n=rejected_open))
    return {"percent": int(progress_data["fraction"] * 100), "met": met, "applicable": len(applicable),
            "awaiting": awaiting, "rejected_open": rejected_open, "sentences": sentences}


def review_view(page: dict, reviewer: Reviewer, queue: str, ngettext) -> dict:
    for learner in page["pending"]:
        for entry in learner["entries"]:
            allowed, override = may_decide(reviewer, entry["kind"], entry["fields"].get("preceptor", ""))
            entry["may_decide"], entry["override"] = allowed, override
    total = page["total"]
    total_text = ngettext("Page {page} of {pages}: {total} entry waiting",
                          "Page {page} of {pages}: {total} entries waiting", total).format(
        page=page["page"], pages=page["pages"], total=total)
    return {**page, "queue": queue, "override": reviewer.override, "username": reviewer.username,
            "total_text": total_text}
