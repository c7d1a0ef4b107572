"""What one learner's browser may see of a walkthrough: the single gate between scenario and page.

Contract: `walkthrough_state(...)` returns JSON-ready data: the learner's parameter values
(the author's labels, values formatted with units), every finished step (prompt, the learner's last
answer, whether it was right, every try with the author's diagnosis of a wrong one (`tries`), and the reference value (to the step's `figures` significant figures), explanation and source, which are shown once a step is finished:
answered right or out of attempts) and the current step (prompt with `{name}` placeholders filled
in from the parameters and finished steps only, unit, whether it is a percentage, the tries so far,
attempts left, number of hints). Steps after the current one are not sent, and no reference value
of an unfinished step, nor any mistake's value, ever is.
"""
from __future__ import annotations

import functools
import re

from markupsafe import escape

from rpt_xblocks.dosimetry.mistakes import diagnosis_of_text
from rpt_xblocks.dosimetry.percent import with_percent
from rpt_xblocks.dosimetry.scenario import DEFAULT_FIGURES, Scenario
from rpt_xblocks.quantities import format_number, format_quantity
from rpt_xblocks.sanitizing import sanitize

_PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")


def shown_value(value, figures: int = DEFAULT_FIGURES) -> str:
    """A computed value to `figures` significant figures (a step's own `figures`)."""
    return format_quantity(value, figures) if hasattr(value, "units") else format_number(value, figures)


def parameter_value(value) -> str:
    """A parameter as the author gave it (up to 6 significant figures): constants keep their precision."""
    if hasattr(value, "units"):
        return f"{value.magnitude:.6g} {_parameter_unit_symbol(value.units)}".strip()
    return f"{value:.6g}"


@functools.lru_cache(maxsize=256)
def _parameter_unit_symbol(unit) -> str:
    """A parameter's unit as Pint writes it (`~P`), memoized: Pint's formatter was about a tenth of
    `check_step`, for the same few author units on every request."""
    return f"{unit:~P}"


def fill_placeholders(xhtml: str, values: dict, parameter_texts: dict, figures: dict | None = None,
                      percent: frozenset = frozenset()) -> str:
    """Replace `{name}` with the learner's value of `name` (escaped; parameters as `parameter_texts`
    gives them, their `parameter_text`s; a step's value to its `figures[name]` significant figures,
    3 by default, with a % sign for the steps named in `percent`); unknown names stay as written."""
    figures = figures or {}

    def shown(match):
        name = match[1]
        if name not in values:
            return match[0]
        value = (parameter_texts[name] if name in parameter_texts
                 else with_percent(shown_value(values[name], figures.get(name, DEFAULT_FIGURES)), name in percent))
        return str(escape(value))
    return _PLACEHOLDER.sub(shown, xhtml)


def parameter_texts(scenario: Scenario, parameters: dict) -> dict:
    """Each parameter's value as learners see it (`parameter_value`, with % for a percentage)."""
    return {p.name: with_percent(parameter_value(parameters[p.name]), p.percent) for p in scenario.parameters}


def parameter_list(scenario: Scenario, texts: dict) -> list[dict]:
    """The learner's numbers: each parameter's label (its name where the author gave none), value
    and citation."""
    return [{"name": p.name, "label": p.label or p.name, "value": texts[p.name], "citation": p.citation}
            for p in scenario.parameters]


def step_texts(scenario: Scenario) -> tuple[dict, frozenset]:
    """(figures per step id, the ids of percentage steps), as `fill_placeholders` takes them."""
    return ({step.id: step.figures for step in scenario.steps},
            frozenset(step.id for step in scenario.steps if step.percent))


def reference_text(step, value) -> str:
    """A step's reference value as shown: to its `figures`, with % for a percentage."""
    return with_percent(shown_value(value, step.figures), step.percent)


def tries_shown(step, tries: list, known: dict) -> list[dict]:
    """Every answer the learner gave to `step`, in order: the text, whether it was right, and the
    author's diagnosis of a wrong one (`known`: parameters and earlier steps' values)."""
    return [{"answer": t["answer"], "correct": t["correct"],
             "diagnosis": "" if t["correct"] else diagnosis_of_text(step, t["answer"], known)} for t in tries]


def walkthrough_state(scenario: Scenario, parameters: dict, expected: dict, progress: dict, step_attempts: int) -> dict:
    known = dict(parameters)  # grows with each finished step: a prompt never shows its own answer
    names = parameter_texts(scenario, parameters)  # Pint formats each once
    state = {"title": scenario.title, "parameters": parameter_list(scenario, names),
             "finished": [], "current": None, "step_count": len(scenario.steps)}
    figures, percent = step_texts(scenario)
    for number, step in enumerate(scenario.steps, start=1):
        record = progress.get(step.id, {})
        # The author's text is sanitized (and memoized) as written, then the learner's numbers go in
        # escaped: the process-wide sanitize cache never holds a text made from one learner's numbers.
        prompt = fill_placeholders(sanitize(step.prompt), known, names, figures, percent)
        tries = tries_shown(step, record.get("tries", []), known)
        if record.get("done"):
            known[step.id] = expected[step.id]
            state["finished"].append({
                "id": step.id, "number": number, "prompt": prompt, "answer": record.get("answer", ""),
                "correct": bool(record.get("correct")), "tries": tries,
                "reference": reference_text(step, expected[step.id]),
                "explanation": fill_placeholders(sanitize(step.explanation), known, names, figures, percent),
                "source": step.source})
            continue
        state["current"] = {"id": step.id, "number": number, "prompt": prompt, "unit": step.unit,
                            "percent": step.percent, "tries": tries,
                            "attempts_left": step_attempts - record.get("attempts", 0), "hint_count": len(step.hints)}
        break
    return state
