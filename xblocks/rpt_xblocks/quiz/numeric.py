"""Numeric questions, graded through the shared `quantities` module.

Contract: `numeric_answer_matches(text, question)` returns True or False for an answer that can be
compared with the key (converted into the question's unit), and raises `AnswerRejected` with the
learner-facing reason otherwise (no unit, a unit of the wrong dimension, not a number): such an
answer is not an attempt. `unit_problem(text)` returns None for a unit authors may key answers in,
else a message saying what is wrong.
"""
from __future__ import annotations

from rpt_xblocks import quantities
from rpt_xblocks.quiz.bank import Question
from rpt_xblocks.quiz.grading import AnswerRejected

_COMPARABLE = (quantities.Outcome.CORRECT, quantities.Outcome.INCORRECT)


def numeric_answer_matches(text: str, question: Question) -> bool:
    result = quantities.check_numeric(text, question.answer, question.unit or None, question.tolerance or 0)
    if result.outcome not in _COMPARABLE:
        raise AnswerRejected(result.message)
    return result.correct


def unit_problem(text: str) -> str | None:
    try:
        quantities.parse_unit(text)
    except quantities.AnswerError as error:
        return f"the unit '{text}' is not one this course knows ({error.message}) — use a unit such as mCi, MBq, mSv or mSv/h"
    return None
