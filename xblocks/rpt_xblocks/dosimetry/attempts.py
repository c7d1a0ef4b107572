"""The walkthrough's learner records: one `StepAttempt` row per graded answer to a step, and the
`ScoreSet` rows the platform writes (records/models.py). The only walkthrough code that touches the
database.

Contract (`block` is the block's `record_block_key()`, `learner` its `learner_key()`):
- `check(block, learner, step, answer, correct, step_attempts)` claims the learner's next attempt
  at `step` by inserting its row (answer and whether it was right), numbered the learner's attempts
  at that step + 1, and returns `(attempt, Record)`: the number and the learner's record with it. It raises `Refused()` when the step is already done (answered right, or
  `step_attempts` used) or when another request inserted the same number first (the database's
  `unique_step_attempt`); the caller's message must not tell which, nor whether the answer was right.
- `record(block, learner, step_attempts)` reads the learner's `Record`: `progress`, per step id,
  `{"attempts": int, "answer": the last answer, "correct": whether it was right, "done": right or
  out of attempts, "tries": [{"answer": str, "correct": bool}, ...] every answer in order}` (the
  shape `walkthrough_view.walkthrough_state` reads); `attempts`, the number
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


def _rows(block: str, learner: str) -> list[tuple[str, int, str, bool]]:
    """The learner's attempts as (step, attempt, answer, correct), by step and number."""
    return list(StepAttempt.objects.filter(block=block, learner=learner).order_by("step", "attempt")
                .values_list("step", "attempt", "answer", "correct"))


def check(block: str, learner: str, step: str, answer: str, correct: bool, step_attempts: int) -> tuple[int, Record]:
    """The attempt number claimed, and the learner's `Record` with it (see the module docstring)."""
    try:
        with transaction.atomic():
            rows = _rows(block, learner)
            mine = [row for row in rows if row[0] == step]
            attempt = len(mine) + 1
            if attempt > step_attempts or any(row[3] for row in mine):
                raise Refused()
            StepAttempt.objects.create(block=block, learner=learner, step=step, attempt=attempt, answer=answer,
                                       correct=correct, created=_now())
    except IntegrityError:
        raise Refused() from None
    # No platform score can be set for a number of attempts that did not exist until now.
    return attempt, _record_of(sorted([*rows, (step, attempt, answer, correct)]), step_attempts, None)


def record(block: str, learner: str, step_attempts: int, with_score: bool = True) -> Record:
    """See the module docstring; `with_score` False leaves out the platform's score (one query less:
    `earned` is then the steps answered right)."""
    rows = _rows(block, learner)
    platform = (ScoreSet.objects.filter(block=block, learner=learner, after=len(rows)).order_by("-id").first()
                if with_score else None)
    return _record_of(rows, step_attempts, platform)


def _record_of(rows: list, step_attempts: int, platform: ScoreSet | None) -> Record:
    progress = {}
    for step, attempt, answer, correct in rows:
        right = correct or progress.get(step, {}).get("correct", False)
        tries = progress.get(step, {}).get("tries", []) + [{"answer": answer, "correct": bool(correct)}]
        progress[step] = {"attempts": attempt, "answer": answer, "correct": right,
                          "done": right or attempt >= step_attempts, "tries": tries}
    earned = float(sum(1 for state in progress.values() if state["correct"]))
    if platform is not None:
        earned = platform.earned
    return Record(progress=progress, attempts=len(rows), earned=earned)


def set_score(block: str, learner: str, earned: float, possible: float) -> None:
    with transaction.atomic():
        after = StepAttempt.objects.filter(block=block, learner=learner).count()
        ScoreSet.objects.create(block=block, learner=learner, earned=earned, possible=possible, after=after,
                                created=_now())
