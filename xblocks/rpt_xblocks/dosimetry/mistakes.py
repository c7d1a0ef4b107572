"""Common mistakes an author describes for a walkthrough step, and their diagnosis.

Contract:
- `Mistake(formula, message)`: `formula` is written in the step formulas' language (formula.py:
  parsed and checked, never eval'd) over the parameters and the earlier steps; `message` is the
  author's plain-text diagnosis ("not decay-corrected"), shown to a learner whose wrong answer
  matches the mistake's value within the step's tolerance. The value itself never leaves the server.
- `diagnosis(step, answer_in_step_unit, values)` is the message of the first of `step.mistakes`
  whose value (from `values`: the learner's parameters and earlier steps' reference values) the
  number `answer_in_step_unit` matches within the step's tolerance, else "". A mistake that cannot
  be evaluated for these values is skipped (the build checked it over the parameter ranges).
- `diagnosis_of_text(step, answer_text, values)` is the same for an answer as the learner typed it
  (a step's history), "" when the text cannot be read.
- `mistake_errors(scenario, points)` lists `(location, message)` authoring problems: a formula that
  cannot be read or uses a name not defined before its step, one that fails or is not of the step's
  kind of quantity, a bare number hiding a unit conversion (hidden_factors.py), or a mistake whose
  value is the right answer (within tolerance) at every checked point (it could never be shown).
  `points` are dicts of parameter and step values at which every step evaluated.
"""
from __future__ import annotations

from dataclasses import dataclass

from rpt_xblocks.dosimetry.formula import Formula, FormulaError, check_dimension, evaluate, parsed
from rpt_xblocks.dosimetry.hidden_factors import hidden_conversion_problems
from rpt_xblocks.quantities import RELATIVE_EPSILON, Tolerance, check_numeric, parse_unit


@dataclass(frozen=True)
class Mistake:
    formula: str
    message: str


def _in_unit(value, unit: str) -> float:
    return value.m_as(parse_unit(unit)) if unit else float(value)


def _matches(answer: float, target: float, tolerance: str) -> bool:
    allowance = Tolerance.parse(tolerance).allowance(target)
    return abs(answer - target) <= allowance + RELATIVE_EPSILON * max(abs(target), allowance)


def mistake_values(step, values: dict) -> list[tuple[float, str]]:
    """(value in the step's unit, message) of each of the step's mistakes that evaluates."""
    found = []
    for mistake in step.mistakes:
        try:
            value = evaluate(parsed(mistake.formula), values)
            if check_dimension(value, step.unit) is None:
                found.append((_in_unit(value, step.unit), mistake.message))
        except FormulaError:
            continue
    return found


def diagnosis(step, answer_in_step_unit: float | None, values: dict) -> str:
    if answer_in_step_unit is None or not step.mistakes:
        return ""
    return next((message for value, message in mistake_values(step, values)
                 if _matches(answer_in_step_unit, value, step.tolerance)), "")


def diagnosis_of_text(step, answer_text: str, values: dict) -> str:
    if not step.mistakes:
        return ""
    from rpt_xblocks.dosimetry.percent import answer_for_checking  # percent imports nothing of ours
    for value, message in mistake_values(step, values):
        if check_numeric(answer_for_checking(answer_text, step.percent), value, step.unit or None,
                         step.tolerance).correct:
            return message
    return ""


def _where(index: int, number: int) -> tuple:
    return ("steps", index, "mistakes", number, "formula")


def mistake_errors(scenario, points: list[dict]) -> list:
    errors = []
    defined = {p.name for p in scenario.parameters}
    for index, step in enumerate(scenario.steps):
        for number, mistake in enumerate(step.mistakes):
            what = f"mistake {number + 1} of step '{step.id}'"
            try:
                formula = Formula(mistake.formula)
            except FormulaError as error:
                errors.append((_where(index, number), f"{what}: {error}"))
                continue
            unknown = sorted(set(formula.names) - defined)
            if unknown:
                errors.append((_where(index, number), f"{what} uses {', '.join(unknown)}, not defined before the "
                               "step — use parameters and earlier steps"))
                continue
            if not mistake.message.strip():
                errors.append((("steps", index, "mistakes", number, "message"), f"{what} has no message — "
                               "say what the learner did, e.g. \"not decay-corrected\""))
            errors += _value_errors(step, index, number, what, formula, points)
        defined.add(step.id)
    return errors


def _value_errors(step, index: int, number: int, what: str, formula: Formula, points: list[dict]) -> list:
    always_right = bool(points)
    for count, values in enumerate(points):
        try:
            value = evaluate(formula, values)
        except FormulaError as error:
            return [(_where(index, number), f"{what} fails: {error}")]
        problem = check_dimension(value, step.unit)
        if problem:
            return [(_where(index, number), f"{what}: {problem}")]
        if count == 0:  # the units, not the numbers, decide: one point will do
            hidden = hidden_conversion_problems(formula, values)
            if hidden:
                return [(_where(index, number), f"{what}: {message}") for message in hidden]
        right = _in_unit(values[step.id], step.unit)
        always_right = always_right and _matches(_in_unit(value, step.unit), right, step.tolerance)
    if always_right:
        return [(_where(index, number), f"{what} gives the right answer (within the step's tolerance) "
                 "everywhere — its message could never be shown; write the formula of the mistake")]
    return []
