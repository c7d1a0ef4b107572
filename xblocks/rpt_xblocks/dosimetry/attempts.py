"""The walkthrough's learner records: one `StepAttempt` row per graded answer to a step, and the
`ScoreSet` rows the platform writes (records/models.py). The only walkthrough code that touches the
database.

Contract (`block` is the block's `record_block_key()`, `learner` its `learner_key()`):
- `check(block, learner, step, answer, correct, step_attempts)` claims the learner's next attempt
  at `step` by inserting its row (answer and whether it was right), numbered the learner's attempts
  at that step + 1. It raises `Refused()` when the step is already done (answered right, or
  `step_attempts` used) or when another request inserted the same number first (the database's
  `unique_step_attempt`); the caller's message must not tell which, nor whether the answer was right.
- `record(block, learner, step_attempts)` reads the learner's `Record`: `progress`, per step id,
  `{"attempts": int, "answer": the last answer, "correct": whether it was right, "done": right or
  out of attempts}` (the shape `walkthrough_view.walkthrough_state` reads); `attempts`, the number
  of rows; `earned`, the steps answered right, unless the platform set a score (`ScoreSet`) after
  the learner's current number of attempts (the latest such row wins).
- `set_score(block, learner, earned, possible)` records a score the platform set (rescore, override).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from django.db import IntegrityError, transaction

from rpt_xblocks.records.models import ScoreSet, StepAttempt


class Refused(Exception):
    """No attempt at the step could be claimed."""


@dataclass(frozen=True)
class Record:
    progress: dict
    attempts: int
    earned: float


def _now() -> datetime:
    return datetime.now(timezone.utc)


def check(block: str, learner: str, step: str, answer: str, correct: bool, step_attempts: int) -> int:
    """The attempt number claimed (see the module docstring)."""
    try:
        with transaction.atomic():
            rows = StepAttempt.objects.filter(block=block, learner=learner, step=step)
            attempt = rows.count() + 1
            if attempt > step_attempts or rows.filter(correct=True).exists():
                raise Refused()
            StepAttempt.objects.create(block=block, learner=learner, step=step, attempt=attempt, answer=answer,
                                       correct=correct, created=_now())
    except IntegrityError:
        raise Refused() from None
    return attempt


def record(block: str, learner: str, step_attempts: int) -> Record:
    progress, count = {}, 0
    rows = StepAttempt.objects.filter(block=block, learner=learner).order_by("step", "attempt")
    for step, attempt, answer, correct in rows.values_list("step", "attempt", "answer", "correct"):
        count += 1
        right = correct or progress.get(step, {}).get("correct", False)
        progress[step] = {"attempts": attempt, "answer": answer, "correct": right,
                          "done": right or attempt >= step_attempts}
    earned = float(sum(1 for state in progress.values() if state["correct"]))
    platform = ScoreSet.objects.filter(block=block, learner=learner, after=count).order_by("-id").first()
    if platform is not None:
        earned = platform.earned
    return Record(progress=progress, attempts=count, earned=earned)


def set_score(block: str, learner: str, earned: float, possible: float) -> None:
    with transaction.atomic():
        after = StepAttempt.objects.filter(block=block, learner=learner).count()
        ScoreSet.objects.create(block=block, learner=learner, earned=earned, possible=possible, after=after,
                                created=_now())
