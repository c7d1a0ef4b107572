"""Grading one answer to one question. Pure functions: no XBlock, no I/O.

Contract:
- `check_shape(question, answer)` raises `AnswerRejected` (learner-facing message) unless the
  answer has the form the question type takes: single -> a choice id; multiple -> a list of
  distinct choice ids; truefalse -> true or false; numeric -> text of at most MAX_NUMERIC_TEXT
  characters; ordering -> a list holding each item id exactly once.
- One rule for unanswered questions, whatever their type (`is_unanswered`): no answer, None, an
  empty list (a multiple-select with nothing selected) or blank text is *unanswered*; it is never
  partly right. `grade` gives it `Result(0.0, UNANSWERED)`; the block submits unanswered questions
  only when the learner confirms (see block.py), never blocking one type and crediting another.
- `grade(question, answer, numeric)` returns a `Result` with `earned` in [0, 1] and a status of
  correct / partially_correct / incorrect / unanswered. `numeric(text, question)` compares a numeric answer
  and returns True or False, or raises `AnswerRejected` when the answer cannot be compared (no
  unit, wrong dimension, not a number): such an answer is refused, not marked wrong.
- Multiple-select with partial credit scores every choice as a decision (checked or not):
  earned = decisions right / choices ("every decision counts"); all_or_nothing needs the exact set.
"""
from __future__ import annotations

from rpt_xblocks.translation import _
from typing import Callable, NamedTuple

from rpt_xblocks.quiz.bank import Question

MAX_NUMERIC_TEXT = 64
CORRECT, PARTIAL, INCORRECT, UNANSWERED = "correct", "partially_correct", "incorrect", "unanswered"


class AnswerRejected(Exception):
    """The answer cannot be graded; the message tells the learner why (it is not an attempt)."""


class Result(NamedTuple):
    earned: float
    status: str


def is_unanswered(answer) -> bool:
    """Whether `answer` (as stored or sent, any question type) leaves its question unanswered."""
    return answer is None or answer == [] or (isinstance(answer, str) and not answer.strip())


def check_shape(question: Question, answer) -> None:
    kind = question.type
    if kind == "single":
        if not isinstance(answer, str) or answer not in {c.id for c in question.choices}:
            raise AnswerRejected(_("Choose one of the options."))
    elif kind == "multiple":
        ids = {c.id for c in question.choices}
        if not isinstance(answer, list) or not all(isinstance(a, str) and a in ids for a in answer) \
                or len(set(answer)) != len(answer):
            raise AnswerRejected(_("Select options from the list only."))
    elif kind == "truefalse":
        if not isinstance(answer, bool):
            raise AnswerRejected(_("Answer true or false."))
    elif kind == "numeric":
        if not isinstance(answer, str) or not answer.strip():
            raise AnswerRejected(_("Enter a number with its unit."))
        if len(answer) > MAX_NUMERIC_TEXT:
            raise AnswerRejected(_("The answer is too long: enter a number and a unit."))
    elif kind == "ordering":
        ids = [i.id for i in question.items]
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer) or sorted(answer) != sorted(ids):
            raise AnswerRejected(_("Put every step in order, each once."))
    else:
        raise AnswerRejected(_("This question cannot be answered."))


def grade(question: Question, answer, numeric: Callable[[str, Question], bool]) -> Result:
    if is_unanswered(answer):
        return Result(0.0, UNANSWERED)
    check_shape(question, answer)
    kind = question.type
    if kind == "single":
        return _all_or_nothing(answer == _correct_ids(question)[0])
    if kind == "multiple":
        chosen, correct = set(answer), set(_correct_ids(question))
        if question.scoring == "partial":
            right = sum((c.id in chosen) == (c.id in correct) for c in question.choices)
            earned = right / len(question.choices)
            return Result(earned, CORRECT if earned == 1 else PARTIAL if earned > 0 else INCORRECT)
        return _all_or_nothing(chosen == correct)
    if kind == "truefalse":
        return _all_or_nothing(answer is question.answer)
    if kind == "numeric":
        return _all_or_nothing(numeric(answer, question))
    return _all_or_nothing(answer == [i.id for i in question.items])


def _correct_ids(question: Question) -> list[str]:
    return [c.id for c in question.choices if c.correct]


def _all_or_nothing(right: bool) -> Result:
    return Result(1.0, CORRECT) if right else Result(0.0, INCORRECT)


def answer_key(question: Question):
    """The correct answer in the form learners submit (sent only when the policy allows)."""
    if question.type == "single":
        return _correct_ids(question)[0]
    if question.type == "multiple":
        return _correct_ids(question)
    if question.type in ("truefalse",):
        return question.answer
    if question.type == "numeric":
        return f"{question.answer:g} {question.unit}".strip()
    return [i.id for i in question.items]
