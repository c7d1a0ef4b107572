"""What preceptors read: the queue of entries awaiting a decision, and the staff counts. Read-only.

Contract:
- `review_page(block, preceptor, page, per_page, supervising_au, named=None)`: the entries awaiting a
  decision, oldest first, one page; only those naming the supervising AU `supervising_au` (their
  name as typed) when given, only those naming the username key `named` (preceptors.username_key:
  the reviewer's own queue, "mine") when given; never the preceptor's own entries (`preceptor`: their
  learner key). Returns {"pending": [{learner, name, entries}], "page", "pages", "total",
  "supervising_aus", "supervising_au"}; `page` is clamped to the pages there are. Every query runs
  on the `awaiting` indexes (`rpt_entry_queue`, `rpt_entry_queue_by_au`,
  `rpt_entry_queue_by_preceptor`): a page costs the same whatever the size of the class.
- `counts(block)`: `(learners counted, {requirement: learners meeting it})`, a GROUP BY over the
  requirements learners meet.
"""
from __future__ import annotations

from django.db.models import Count

from rpt_xblocks.records.models import TrackerEntry, TrackerLearner, TrackerRequirementMet
from rpt_xblocks.tracker.store import entry_data


def review_page(block: str, preceptor: str, page: int, per_page: int, supervising_au: str | None,
                named: str | None = None) -> dict:
    """See the module docstring."""
    waiting = TrackerEntry.objects.filter(block=block, awaiting=True)
    if named is not None:
        waiting = waiting.filter(preceptor=named)
    names = [name for name in waiting.order_by("supervising_au").values_list("supervising_au", flat=True).distinct()
             if name]
    if supervising_au:
        waiting = waiting.filter(supervising_au=supervising_au)
    own = TrackerLearner.objects.filter(block=block, learner=preceptor).values_list("pk", flat=True).first()
    total = waiting.count() - (waiting.filter(owner_id=own).count() if own is not None else 0)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    mine_left_out = waiting.exclude(owner_id=own) if own is not None else waiting
    rows = list(mine_left_out.select_related("owner").order_by("created", "id")[(page - 1) * per_page:page * per_page])
    corrected = [row.corrects_id for row in rows if row.corrects_id is not None]
    numbers = dict(TrackerEntry.objects.filter(pk__in=corrected).values_list("pk", "number")) if corrected else {}
    pending: list[dict] = []
    for row in rows:
        if not pending or pending[-1]["learner"] != row.owner.learner:
            pending.append({"learner": row.owner.learner, "name": row.owner.name, "entries": []})
        pending[-1]["entries"].append(entry_data(row, numbers))
    return {"pending": pending, "page": page, "pages": pages, "total": total, "supervising_aus": names,
            "supervising_au": supervising_au or ""}


def counts(block: str) -> tuple[int, dict]:
    """See the module docstring."""
    learners = TrackerLearner.objects.filter(block=block, logged=True).count()
    met = dict(TrackerRequirementMet.objects.filter(block=block).values("requirement")
               .annotate(n=Count("id")).values_list("requirement", "n"))
    return learners, {requirement: met[requirement] for requirement in sorted(met)}
