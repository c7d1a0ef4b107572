"""Checking one answer to one walkthrough step: the graded round and the practice round alike.

Contract: `check_answer(step, answer, value, known, gettext)` grades the learner's text `answer`
against the step's reference `value` (a Quantity, or a float for a pure number) with units
(`quantities.check_numeric`, messages translated by `gettext`) and returns a `Checked`:
`refused` with a message for text that is not an answer of the step's kind (no number, a wrong kind
of unit, a "%" where no percentage is asked: these cost no attempt); otherwise `correct`, the
checker's message and, for a wrong answer, the author's `diagnosis` when it matches one of the
step's mistakes (mistakes.py; `known` holds the parameters and earlier steps' values). A percentage
step reads "12%" and "12" alike (percent.py). Nothing here stores anything.
"""
from __future__ import annotations

from dataclasses import dataclass

from rpt_xblocks import quantities
from rpt_xblocks.dosimetry.mistakes import diagnosis
from rpt_xblocks.dosimetry.percent import answer_for_checking, percent_sign_problem
from rpt_xblocks.translation import translated_by


@dataclass(frozen=True)
class Checked:
    refused: bool
    correct: bool
    message: str
    diagnosis: str = ""


def check_answer(step, answer: str, value, known: dict, gettext) -> Checked:
    problem = percent_sign_problem(answer, step.percent, gettext)
    if problem:
        return Checked(refused=True, correct=False, message=problem)
    expected_number = value.m_as(quantities.parse_unit(step.unit)) if step.unit else float(value)
    with translated_by(gettext):
        result = quantities.check_numeric(answer_for_checking(answer, step.percent), expected_number,
                                          step.unit or None, step.tolerance)
    if result.outcome not in (quantities.Outcome.CORRECT, quantities.Outcome.INCORRECT):
        return Checked(refused=True, correct=False, message=result.message)
    if result.correct:
        return Checked(refused=False, correct=True, message=result.message)
    return Checked(refused=False, correct=False, message=result.message,
                   diagnosis=diagnosis(step, result.value_in_expected_unit, known))
