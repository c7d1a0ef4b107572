"""The quiz's learner records: one `QuizSubmission` row per graded submission, and the `ScoreSet`
rows the platform writes (records/models.py). The only quiz code that touches the database.

Contract (`block` is the block's `record_block_key()`, `learner` its `learner_key()`):
- `submit(block, learner, username, max_attempts, grading_method, grade)` claims the learner's next attempt by
  inserting its row, in one transaction, before `grade()` runs. The number is the learner's rows + 1.
  It raises `Refused(USED_UP)` when that number exceeds `max_attempts` (0: unlimited),
  `Refused(NOT_RESET)` when the latest row is not `reset` (the learner must choose Try again), and
  `Refused(LOST_RACE)` when another request inserted the same number first (the database's
  `unique_quiz_attempt`). `grade()` returns `(answers, results, earned, possible)`, which are
  stored on the row in the same transaction; whatever `grade()` raises propagates and rolls the
  transaction back, so a refused grading uses no attempt. Returns the stored `Submission` and the
  learner's `Standing` after it (as `standing` would read it).
- `reset(block, learner, attempt)` marks the learner's submission `attempt` reset, once: False when
  it already was (or does not exist).
- `standing(block, learner, grading_method)` reads the learner's `Standing`: the number of
  submissions, the latest one, and the graded one ("best": the highest earned, the latest of equals;
  "last": the latest), with the score the platform set (`ScoreSet`) when it was set after the
  learner's current number of submissions (the latest such row wins), else the graded one's.
- `set_score(block, learner, earned, possible)` records a score the platform set (rescore, override).
- `graded_submissions(block)` yields `(answers, results)` of every submission to the block, each once.
- `latest_by_username(block, username)` -> (the number of submissions, the latest `Submission` or
  None) of the learner with that username (for the problem response report).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterator

from django.db import IntegrityError, transaction

from rpt_xblocks.records.models import QuizSubmission, ScoreSet

USED_UP, NOT_RESET, LOST_RACE = "used_up", "not_reset", "lost_race"


class Refused(Exception):
    """No attempt could be claimed; `reason` is USED_UP, NOT_RESET or LOST_RACE."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Submission:
    attempt: int
    answers: dict
    results: dict  # question id -> {"earned": float, "status": str}
    earned: float
    possible: float
    reset: bool


@dataclass(frozen=True)
class Standing:
    attempts: int
    latest: Submission | None
    graded: Submission | None  # the submission behind the graded score (best or last)
    score: tuple[float, float] | None  # (earned, possible): set by the platform, else the graded one's

    @property
    def shown(self) -> Submission | None:
        """The submission whose answers and results the learner sees: the latest, unless reset."""
        return None if self.latest is None or self.latest.reset else self.latest


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _submission(row) -> Submission:
    return Submission(attempt=row.attempt, answers=row.answers, results=row.results, earned=row.earned,
                      possible=row.possible, reset=row.reset)


def submit(block: str, learner: str, username: str, max_attempts: int, grading_method: str,
           grade: Callable[[], tuple[dict, dict, float, float]]) -> tuple[Submission, Standing]:
    try:
        with transaction.atomic():
            earlier = [_submission(row) for row in
                       QuizSubmission.objects.filter(block=block, learner=learner).order_by("attempt")]
            attempt = len(earlier) + 1
            if max_attempts and attempt > max_attempts:
                raise Refused(USED_UP)
            if earlier and not earlier[-1].reset:
                raise Refused(NOT_RESET)
            row = QuizSubmission.objects.create(block=block, learner=learner, username=username, attempt=attempt,
                                                created=_now())
            row.answers, row.results, row.earned, row.possible = grade()
            row.save(update_fields=["answers", "results", "earned", "possible"])
    except IntegrityError:
        raise Refused(LOST_RACE) from None
    submission = _submission(row)
    # No platform score can be set for a number of submissions that did not exist until now.
    return submission, _standing_of([*earlier, submission], grading_method, None)


def reset(block: str, learner: str, attempt: int) -> bool:
    return bool(QuizSubmission.objects.filter(block=block, learner=learner, attempt=attempt, reset=False)
                .update(reset=True))


def standing(block: str, learner: str, grading_method: str) -> Standing:
    rows = [_submission(row) for row in QuizSubmission.objects.filter(block=block, learner=learner).order_by("attempt")]
    platform = (ScoreSet.objects.filter(block=block, learner=learner, after=len(rows))
                .order_by("-id").first())
    return _standing_of(rows, grading_method, platform)


def _standing_of(rows: list[Submission], grading_method: str, platform: ScoreSet | None) -> Standing:
    if not rows:
        graded = None
    elif grading_method == "last":
        graded = rows[-1]
    else:
        graded = max(reversed(rows), key=lambda row: row.earned)  # the latest of equal scores
    score = (graded.earned, graded.possible) if graded is not None else None
    if platform is not None:
        score = (platform.earned, platform.possible)
    return Standing(attempts=len(rows), latest=rows[-1] if rows else None, graded=graded, score=score)


def set_score(block: str, learner: str, earned: float, possible: float) -> None:
    with transaction.atomic():
        after = QuizSubmission.objects.filter(block=block, learner=learner).count()
        ScoreSet.objects.create(block=block, learner=learner, earned=earned, possible=possible, after=after,
                                created=_now())


def graded_submissions(block: str) -> Iterator[tuple[dict, dict]]:
    rows = QuizSubmission.objects.filter(block=block).order_by("id").values_list("answers", "results")
    yield from rows.iterator(chunk_size=500)


def latest_by_username(block: str, username: str) -> tuple[int, Submission | None]:
    rows = QuizSubmission.objects.filter(block=block, username=username).order_by("-attempt")
    latest = rows.first()
    return (rows.count(), _submission(latest)) if latest is not None else (0, None)
