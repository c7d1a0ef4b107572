"""A dosimetry walkthrough's scenario: parameters, and steps whose expected answers are formulas.

Contract:
- `Scenario` holds `Parameter`s (fixed, or sampled per learner from a range) and ordered `Step`s;
  each step's `formula` (see formula.py) may use parameter names and the ids of earlier steps.
- `scenario_from_data(data)` builds one from the YAML form (already schema-checked);
  `to_dict()` / `from_dict()` give the JSON form a block stores.
- `learner_parameters(scenario, seed_key)` gives the learner's values: the same key always gives
  the same values; different keys give different values when a range allows it.
- `expected_values(scenario, parameters, count=None)` evaluates the first `count` steps (all by
  default) in order (a step's value is carried forward under its id, so one early slip does not
  spoil the rest; a step's formula uses only parameters and earlier steps, so the first `count`
  values do not depend on later steps); it raises `FormulaError`.
- `scenario_errors(scenario)` lists `(location, message)` for every authoring mistake: bad or
  duplicate names, a formula using a name not defined before it, a `{name}` placeholder naming no
  parameter or step (learners would see it as written) or, in a prompt or hint, naming the step
  itself or a later one (its answer would be in the question; an explanation may also show its own
  step), a tolerance that is not sane for the step's values (`quantities.tolerance_problem`,
  over the values at the points below), and — evaluating every formula at
  each corner of the parameter ranges and at seeded samples inside them — division by zero,
  non-finite results, inconsistent units and a result whose dimension is not the step's unit —
  and a bare number multiplying units of one kind that convert into each other (hidden_factors.py:
  RG 8.39's 34.6 already holds 24 h/d), in a step's formula and in the plot's (so also in a
  figure's, which figures.py checks as a plot) — and then the steps' `mistakes` (mistakes.py).
  With a `CheckMemo` (author_input/check_memo.py) it asks the memo first, under the check name
  `"scenario"` with `repr(scenario)` as input (frozen dataclasses of str, float, None and tuples).
"""
from __future__ import annotations

import difflib
import itertools
import math
import random
import re
from dataclasses import dataclass

from rpt_xblocks.author_input.check_memo import CheckMemo, checked
from rpt_xblocks.dosimetry.formula import RESERVED_NAMES, Formula, FormulaError, check_dimension, evaluate, parsed
from rpt_xblocks.dosimetry.hidden_factors import hidden_conversion_problems
from rpt_xblocks.dosimetry.mistakes import Mistake, mistake_errors
from rpt_xblocks.dosimetry.percent import is_percent
from rpt_xblocks.dosimetry.plot import curve_points
from rpt_xblocks.learner_seed import seeded_random
from rpt_xblocks.quantities import AnswerError, Quantity, parse_unit, tolerance_problem

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")  # as walkthrough_view fills them in
INTERIOR_SAMPLES = 16
DRAWN_FIGURES = 3
MAX_RANGED_FOR_CORNERS = 6  # 2**6 = 64 corners at most; beyond that, samples only


@dataclass(frozen=True)
class Parameter:
    """A named quantity: fixed (`value`) or drawn per learner from [low, high] in steps of `step`
    (without a step, drawn to 3 significant figures, as shown). `label` is what learners see
    ("Prescribed activity"), not the name formulas use; `percent` marks a pure number in percent
    (the author's unit "%", percent.py)."""

    name: str
    unit: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    step: float | None = None
    citation: str = ""
    label: str = ""
    percent: bool = False

    @property
    def ranged(self) -> bool:
        return self.value is None


DEFAULT_FIGURES = 3
MAX_FIGURES = 6


@dataclass(frozen=True)
class Step:
    """One question; `figures` is how many significant figures its reference value is shown with
    (a source that prints 4 is quoted to 4), from 1 to MAX_FIGURES; `percent` marks an answer in
    percent (percent.py); `mistakes` are the common wrong answers the author diagnoses (mistakes.py)."""
    id: str
    prompt: str
    formula: str
    unit: str
    tolerance: str = "1%"
    hints: tuple[str, ...] = ()
    explanation: str = ""
    source: str = ""
    figures: int = DEFAULT_FIGURES
    percent: bool = False
    mistakes: tuple[Mistake, ...] = ()


@dataclass(frozen=True)
class Plot:
    """A curve for the summary: `formula` against the variable `x` (in `x_unit`, from `start` to
    `stop`), in `y_unit`; `mark` names a parameter whose value is marked on the curve."""

    title: str
    x: str
    x_unit: str
    start: float
    stop: float
    formula: str
    y_unit: str
    x_label: str = ""
    y_label: str = ""
    mark: str = ""


@dataclass(frozen=True)
class Scenario:
    title: str
    parameters: tuple[Parameter, ...]
    steps: tuple[Step, ...]
    plot: Plot | None = None

    def to_dict(self) -> dict:
        """The JSON form a block stores in its `scenario_data` field (a step's `figures`, `percent`
        and `mistakes`, a parameter's `label` and `percent`, only when not the default, so the stored
        form of a walkthrough without them is as it was)."""
        steps = [{**vars(s), "hints": list(s.hints), "mistakes": [vars(m) for m in s.mistakes]} for s in self.steps]
        parameters = [dict(vars(p)) for p in self.parameters]
        for item in steps + parameters:
            for key, default in (("figures", DEFAULT_FIGURES), ("percent", False), ("mistakes", []), ("label", "")):
                if key in item and item[key] == default:
                    del item[key]
        return {"title": self.title, "parameters": parameters, "steps": steps,
                "plot": vars(self.plot) if self.plot else None}

    @classmethod
    def from_dict(cls, data: dict) -> Scenario:
        return cls(title=data["title"], parameters=tuple(Parameter(**p) for p in data["parameters"]),
                   steps=tuple(Step(**{**s, "hints": tuple(s["hints"]),
                                       "mistakes": tuple(Mistake(**m) for m in s.get("mistakes", ()))})
                               for s in data["steps"]),
                   plot=Plot(**data["plot"]) if data.get("plot") else None)


def scenario_from_data(data: dict, render=lambda text: text) -> Scenario:
    parameters = []
    for name, spec in data.get("parameters", {}).items():
        unit = spec.get("unit", "")
        parameters.append(Parameter(name=name, unit="" if is_percent(unit) else unit, value=spec.get("value"),
                                    low=spec.get("min"), high=spec.get("max"), step=spec.get("step"),
                                    citation=spec.get("citation", ""), label=spec.get("label", ""),
                                    percent=is_percent(unit)))
    steps = [Step(id=s["id"], prompt=render(s["prompt"]), formula=s["formula"],
                  unit="" if is_percent(s.get("unit", "")) else s.get("unit", ""),
                  tolerance=str(s.get("tolerance", "1%")), hints=tuple(render(h) for h in s.get("hints", [])),
                  explanation=render(s.get("explanation", "")), source=s.get("source", ""),
                  figures=s.get("figures", DEFAULT_FIGURES), percent=is_percent(s.get("unit", "")),
                  mistakes=tuple(Mistake(formula=m["formula"], message=m["message"]) for m in s.get("mistakes", [])))
             for s in data["steps"]]
    plot = None
    if "plot" in data:
        spec = data["plot"]
        plot = Plot(title=spec["title"], x=spec["x"], x_unit=spec.get("x_unit", ""), start=spec["from"], stop=spec["to"],
                    formula=spec["formula"], y_unit=spec.get("y_unit", ""), x_label=spec.get("x_label", ""),
                    y_label=spec.get("y_label", ""), mark=spec.get("mark", ""))
    return Scenario(title=data["title"], parameters=tuple(parameters), steps=tuple(steps), plot=plot)


def _quantity(parameter: Parameter, magnitude: float):
    return Quantity(magnitude, parse_unit(parameter.unit)) if parameter.unit else magnitude


def _draw(parameter: Parameter, rng: random.Random) -> float:
    """A value in the range: on the step's grid (without float noise such as 5.800000000000001),
    or, without a step, to DRAWN_FIGURES significant figures, so the number a learner is shown is
    the number the reference values are computed from."""
    if parameter.step:
        count = int(math.floor((parameter.high - parameter.low) / parameter.step + 1e-9))
        return float(f"{parameter.low + rng.randint(0, count) * parameter.step:.12g}")
    value = rng.uniform(parameter.low, parameter.high)
    return min(max(float(f"{value:.{DRAWN_FIGURES}g}"), parameter.low), parameter.high)


def learner_parameters(scenario: Scenario, seed_key: str) -> dict:
    rng = seeded_random(seed_key, "parameters")
    return {p.name: _quantity(p, p.value if not p.ranged else _draw(p, rng)) for p in scenario.parameters}


def expected_values(scenario: Scenario, parameters: dict, count: int | None = None) -> dict:
    """The reference value of each of the first `count` steps (every step for None), in the step's
    own unit where it has one (so a learner is shown "42 h", not "1.75 d", for a step that asks for
    hours); raises FormulaError as `evaluate` does."""
    values = dict(parameters)
    results = {}
    for step in scenario.steps[:count]:
        value = evaluate(parsed(step.formula), values)
        if step.unit and hasattr(value, "units") and (unit := _readable_unit(step.unit)) is not None \
                and check_dimension(value, unit) is None:
            value = value.to(unit)
        results[step.id] = values[step.id] = value
    return results


def _readable_unit(text: str):
    """The unit `text`, or None where `parse_unit` refuses it (`check_dimension` then reports it)."""
    try:
        return parse_unit(text)
    except AnswerError:
        return None


def _parameter_errors(scenario: Scenario) -> list:
    errors, seen = [], set()
    for parameter in scenario.parameters:
        where = ("parameters", parameter.name)
        if not NAME.match(parameter.name):
            errors.append((where, f"parameter name '{parameter.name}' must start with a letter and use letters, digits and _ — rename it"))
        elif parameter.name in RESERVED_NAMES:
            errors.append((where, f"parameter name '{parameter.name}' is the name of a formula function or constant — rename it"))
        problem = _unit_problem(parameter.unit)
        if problem:
            errors.append((where, f"parameter '{parameter.name}': {problem}"))
        seen.add(parameter.name)
        if parameter.ranged:
            if parameter.low is None or parameter.high is None or not parameter.low < parameter.high:
                errors.append((where, f"parameter '{parameter.name}' needs `value`, or `min` below `max` — give one or the other"))
            elif parameter.step is not None and not 0 < parameter.step <= parameter.high - parameter.low:
                errors.append((where, f"parameter '{parameter.name}' has a step outside its range — use a step between 0 and max - min"))
    for index, step in enumerate(scenario.steps):
        if not NAME.match(step.id):
            errors.append((("steps", index, "id"), f"step id '{step.id}' must start with a letter and use letters, digits and _ (formulas use it as a name) — rename it"))
        elif step.id in seen or step.id in RESERVED_NAMES:
            errors.append((("steps", index, "id"), f"the name '{step.id}' is already used by a parameter or an earlier step — rename this step"))
        if isinstance(step.figures, bool) or not isinstance(step.figures, int) or not 1 <= step.figures <= MAX_FIGURES:
            errors.append((("steps", index, "figures"), f"step '{step.id}' shows its value to {step.figures!r} significant "
                           f"figures — use a whole number from 1 to {MAX_FIGURES} (the default is {DEFAULT_FIGURES})"))
        seen.add(step.id)
    return errors


def _unit_problem(unit: str) -> str | None:
    """None for a unit authors may use ('' is a pure number), else a message."""
    if not unit:
        return None
    try:
        parse_unit(unit)
    except AnswerError as error:
        return f"the unit '{unit}' cannot be used ({error.message}) — use a unit such as GBq, mCi, h or mSv/h"
    return None


def _corner_and_sample_points(scenario: Scenario) -> list[dict]:
    ranged = [p for p in scenario.parameters if p.ranged and p.low is not None and p.high is not None]
    fixed = {p.name: _quantity(p, p.value) for p in scenario.parameters if not p.ranged}
    points = []
    if len(ranged) <= MAX_RANGED_FOR_CORNERS:
        for corner in itertools.product(*[(p.low, p.high) for p in ranged]):
            points.append({**fixed, **{p.name: _quantity(p, v) for p, v in zip(ranged, corner)}})
    rng = random.Random(0)
    for _ in range(INTERIOR_SAMPLES):
        points.append({**fixed, **{p.name: _quantity(p, _draw(p, rng)) for p in ranged}})
    return points


def scenario_errors(scenario: Scenario, memo: CheckMemo | None = None) -> list:
    return checked(memo, "scenario", lambda: (repr(scenario),), lambda: _scenario_errors(scenario))


def _scenario_errors(scenario: Scenario) -> list:
    errors = _parameter_errors(scenario)
    if errors:
        return errors
    defined = {p.name for p in scenario.parameters}
    formulas = []
    for index, step in enumerate(scenario.steps):
        where = ("steps", index, "formula")
        try:
            formula = Formula(step.formula)
        except FormulaError as error:
            errors.append((where, f"step '{step.id}': {error}"))
            formulas.append(None)
            defined.add(step.id)
            continue
        unknown = sorted(set(formula.names) - defined)
        if unknown:
            errors.append((where, f"step '{step.id}' uses {', '.join(unknown)}, not defined before it — define it as a parameter or an earlier step"))
        formulas.append(None if unknown else formula)
        defined.add(step.id)
    errors += _placeholder_errors(scenario)
    if errors:
        return errors
    reported: set[int] = set()
    sizes: dict[int, list[float]] = {index: [] for index in range(len(scenario.steps))}
    complete: list[dict] = []  # the points at which every step evaluated, for the mistakes' checks
    for number, point in enumerate(_corner_and_sample_points(scenario)):
        values = dict(point)
        for index, (step, formula) in enumerate(zip(scenario.steps, formulas)):
            try:
                values[step.id] = result = evaluate(formula, values)
            except FormulaError as error:
                if index not in reported:
                    shown = ", ".join(f"{k}={v:~g}" if hasattr(v, "units") else f"{k}={v:g}" for k, v in point.items())
                    errors.append((("steps", index, "formula"), f"step '{step.id}' fails at {shown}: {error}"))
                    reported.add(index)
                break
            problem = check_dimension(result, step.unit)
            if problem and index not in reported:
                errors.append((("steps", index, "unit"), f"step '{step.id}': {problem}"))
                reported.add(index)
            elif not problem:
                sizes[index].append(_in_step_unit(result, step.unit))
                if number == 0 and index not in reported:  # the units, not the numbers, decide: one point will do
                    for message in hidden_conversion_problems(formula, values):
                        errors.append((("steps", index, "formula"), f"step '{step.id}': {message}"))
                        reported.add(index)
        else:
            complete.append(values)
    for index, step in enumerate(scenario.steps):
        if index in reported:
            continue
        problem = tolerance_problem(step.tolerance, sizes[index])
        if problem:
            errors.append((("steps", index, "tolerance"), f"step '{step.id}': {problem}"))
    if not errors:
        errors += mistake_errors(scenario, complete)
    if scenario.plot is not None and not errors:
        errors += _plot_errors(scenario)
    return errors


def _in_step_unit(value, unit: str) -> float:
    """The number a learner's answer to a step is compared with, as `block.check_step` takes it."""
    return value.m_as(parse_unit(unit)) if unit else float(value)


def _placeholder_errors(scenario: Scenario) -> list:
    """`{name}` in prompts, hints and explanations: see the module docstring."""
    errors = []
    parameters = [p.name for p in scenario.parameters]
    step_ids = [s.id for s in scenario.steps]
    for index, step in enumerate(scenario.steps):
        texts = [(("steps", index, "prompt"), "prompt", step.prompt, False)]
        texts += [(("steps", index, "hints", n), f"hint {n + 1}", hint, False) for n, hint in enumerate(step.hints)]
        texts.append((("steps", index, "explanation"), "explanation", step.explanation, True))
        for where, what, text, own_step_shown in texts:
            for name in dict.fromkeys(PLACEHOLDER.findall(text or "")):
                if name in parameters or name in step_ids[:index] or (own_step_shown and name == step.id):
                    continue
                if name in step_ids:
                    later = step_ids.index(name)
                    whose = "this step's own answer" if later == index else f"the answer of a later step ({later + 1}, '{name}')"
                    errors.append((where, f"the {what} of step '{step.id}' shows {{{name}}}, {whose}: the answer would be "
                                          "in the question — show only parameters and earlier steps"))
                    continue
                close = difflib.get_close_matches(name, parameters + step_ids, n=1)
                fix = f"did you mean {{{close[0]}}}?" if close else "use the name of a parameter or an earlier step"
                errors.append((where, f"the {what} of step '{step.id}' has the placeholder {{{name}}}, which names no "
                                      f"parameter or step (learners would see it as written) — {fix}"))
    return errors


def _plot_errors(scenario: Scenario) -> list:
    plot = scenario.plot
    for name in ("x_unit", "y_unit"):
        problem = _unit_problem(getattr(plot, name))
        if problem:
            return [(("plot", name), f"the plot's {problem}")]
    if not NAME.match(plot.x) or plot.x in {p.name for p in scenario.parameters} | {s.id for s in scenario.steps}:
        return [(("plot", "x"), f"the plot's variable '{plot.x}' must be a new name of letters, digits and _ — rename it")]
    if not plot.start < plot.stop:
        return [(("plot",), "the plot's `from` must be below its `to` — fix the range")]
    if plot.mark and plot.mark not in {p.name for p in scenario.parameters}:
        return [(("plot", "mark"), f"the plot marks '{plot.mark}', which is not a parameter — name a parameter")]
    try:
        for point in _corner_and_sample_points(scenario)[:4]:
            curve_points(plot.formula, {**point, **expected_values(scenario, point)}, plot.x, plot.x_unit,
                         plot.y_unit, plot.start, plot.stop, count=8)
    except FormulaError as error:
        return [(("plot", "formula"), f"the plot's formula fails: {error}")]
    point = _corner_and_sample_points(scenario)[0]  # as for steps: the units, not the numbers, decide
    x_value = Quantity(plot.stop, parse_unit(plot.x_unit)) if plot.x_unit else plot.stop
    values = {**point, **expected_values(scenario, point), plot.x: x_value}
    return [(("plot", "formula"), f"the plot's formula: {message}")
            for message in hidden_conversion_problems(Formula(plot.formula), values)]
