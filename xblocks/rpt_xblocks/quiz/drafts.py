"""The quiz's drafts: a learner's answers saved as they answer, before Submit (records QuizDraft).

Contract (`block` is the block's `record_block_key()`, `learner` its `learner_key()`):
- `save(block, learner, attempt, answers)` stores `answers` (question id -> answer in the learner's
  stand-in ids, already validated by the caller) as the learner's draft for `attempt`, replacing the
  whole previous draft in one upsert (`update_or_create` in a transaction: never a merge of what was
  stored with what arrived), run again when MySQL broke a deadlock between two first drafts
  (records.retried). It raises `Refused` when `attempt` is not the learner's open attempt:
  the learner's submissions + 1, with the latest submission (if any) reset by Try again. It never
  reads or writes a submission row beyond that check, so a refused draft changes no graded record.
- `open_draft(block, learner, attempts)` returns the answers of the learner's draft when it was
  saved for attempt `attempts + 1`, else None (a draft left from an attempt since submitted is stale).
"""
from __future__ import annotations

from datetime import datetime, timezone

from django.db import transaction

from rpt_xblocks.records.models import QuizDraft, QuizSubmission
from rpt_xblocks.records.retried import retried


class Refused(Exception):
    """The draft is for an attempt that is not open (already submitted, or not reached)."""


def save(block: str, learner: str, attempt: int, answers: dict) -> None:
    retried(lambda: _save(block, learner, attempt, answers))


def _save(block: str, learner: str, attempt: int, answers: dict) -> None:
    with transaction.atomic():
        latest = (QuizSubmission.objects.filter(block=block, learner=learner).order_by("-attempt")
                  .values_list("attempt", "reset").first())
        submitted, reset = latest if latest is not None else (0, True)
        if attempt != submitted + 1 or not reset:
            raise Refused()
        QuizDraft.objects.update_or_create(block=block, learner=learner, defaults={
            "attempt": attempt, "answers": answers, "updated": datetime.now(timezone.utc)})


def open_draft(block: str, learner: str, attempts: int) -> dict | None:
    row = QuizDraft.objects.filter(block=block, learner=learner).values_list("attempt", "answers").first()
    if row is None or row[0] != attempts + 1:
        return None
    return row[1]
