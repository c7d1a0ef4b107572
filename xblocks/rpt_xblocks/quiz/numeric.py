"""Numeric questions, graded through the shared `quantities` module.

Contract: `numeric_answer_matches(text, question)` returns True or False for an answer that can be
compared with the key (converted into the question's unit), and raises `AnswerRejected` with the
learner-facing reason otherwise (a unit of the wrong dimension, not a number): such an answer is
not an attempt. A bare number for a question with a unit is read in that unit ("0.3" for a question
in cm is 0.3 cm): `assumed_unit(text, question)` returns the unit so assumed (None when the answer
names a unit, is not a number, or the question has no unit), and `assumed_unit_note` the sentence
that says so in the learner's feedback. `unit_problem(text)` returns None for a unit authors may key answers in,
else a message saying what is wrong.
"""
from __future__ import annotations

from rpt_xblocks import quantities
from rpt_xblocks.quiz.bank import Question
from rpt_xblocks.quiz.grading import AnswerRejected
from rpt_xblocks.translation import _

_COMPARABLE = (quantities.Outcome.CORRECT, quantities.Outcome.INCORRECT)


def assumed_unit(text, question: Question) -> str | None:
    if not question.unit or not isinstance(text, str):
        return None
    try:
        answer = quantities.parse_answer(text)
        unit = quantities.parse_unit(question.unit)
    except (quantities.AnswerError, ValueError):
        return None
    return question.unit if answer.unitless and not unit.dimensionless else None


def assumed_unit_note(text, question: Question) -> str | None:
    """The learner-facing note for an answer read in the question's unit, else None."""
    unit = assumed_unit(text, question)
    if unit is None:
        return None
    return _("Read as {answer} {unit}: a number without a unit is taken in the question's unit.").format(
        answer=text.strip(), unit=unit)


def numeric_answer_matches(text: str, question: Question) -> bool:
    unit = assumed_unit(text, question)
    reading = f"{text.strip()} {unit}" if unit else text
    result = quantities.check_numeric(reading, question.answer, question.unit or None, question.tolerance or 0)
    if result.outcome not in _COMPARABLE:
        raise AnswerRejected(result.message)
    return result.correct


def unit_problem(text: str) -> str | None:
    try:
        quantities.parse_unit(text)
    except quantities.AnswerError as error:
        return f"the unit '{text}' is not one this course knows ({error.message}) — use a unit such as mCi, MBq, mSv or mSv/h"
    return None
