"""The quiz's ungraded checks of one question (records QuizCheck): the only limit on them is held
in the database, one row per check.

Contract (`block` is the block's `record_block_key()`, `learner` its `learner_key()`):
- `claim(block, learner, question, attempt, max_checks, grade)` claims the learner's next check of
  `question` by inserting its row (numbered: the learner's checks of that question + 1, over all
  attempts) in one transaction, then runs `grade()`, which returns the status stored on the row.
  Raises `Refused(USED_UP)` when the number would exceed `max_checks`, and `Refused(LOST_RACE)` when
  another request inserted the same number first (`unique_quiz_check`). Whatever `grade()` raises
  rolls the claim back: an answer that cannot be graded uses no check. Returns the checks left.
- `checks_used(block, learner)` -> {question id: checks used} (one query).
- `correct_in(block, learner, attempt)` -> the question ids checked correct in `attempt`.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from django.db import IntegrityError, transaction
from django.db.models import Count

from rpt_xblocks.records.models import QuizCheck

USED_UP, LOST_RACE = "used_up", "lost_race"


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def claim(block: str, learner: str, question: str, attempt: int, max_checks: int, grade: Callable[[], str]) -> int:
    try:
        with transaction.atomic():
            number = QuizCheck.objects.filter(block=block, learner=learner, question=question).count() + 1
            if number > max_checks:
                raise Refused(USED_UP)
            row = QuizCheck.objects.create(block=block, learner=learner, question=question, number=number,
                                           attempt=attempt, created=datetime.now(timezone.utc))
            row.status = grade()
            row.save(update_fields=["status"])
    except IntegrityError:
        raise Refused(LOST_RACE) from None
    return max_checks - number


def checks_used(block: str, learner: str) -> dict[str, int]:
    rows = (QuizCheck.objects.filter(block=block, learner=learner).values("question")
            .annotate(used=Count("id")).values_list("question", "used"))
    return dict(rows)


def correct_in(block: str, learner: str, attempt: int) -> set[str]:
    return set(QuizCheck.objects.filter(block=block, learner=learner, attempt=attempt, status="correct")
               .values_list("question", flat=True))
