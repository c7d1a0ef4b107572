"""Compile a walkthrough's YAML (in a module folder) through the dosimetry package's own model.

Contract: `compile_walkthrough(path, shown, component_id, markdown, problems)` returns the
`Scenario` (and its settings) for `scenario_olx.scenario_to_xml`, or None after adding every
problem at `shown:line`: YAML syntax, schema, a parameter without the `label:` learners see instead
of its name, and the scenario's own checks (names, a formula using a name not defined before it,
and — evaluating every formula, the steps' and their `mistakes:`, over the parameter ranges —
division by zero, non-finite results, inconsistent units, a result in the wrong unit).
"""
from __future__ import annotations

from pathlib import Path

from rpt_course.course_schemas import course_schema
from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks.author_input.check_memo import CheckMemo
from rpt_xblocks.author_input.schema_check import load_checked_yaml
from rpt_xblocks.dosimetry.scenario import scenario_errors, scenario_from_data


def compile_walkthrough(path: Path, shown: str, component_id: str, markdown, problems: list[Problem],
                        memo: CheckMemo | None = None):
    loaded = load_checked_yaml(path, shown, course_schema("walkthrough.schema.json"), problems, memo)
    if loaded is None:
        return None
    data, lines = loaded
    rendered: dict[str, str] = {}
    for index, step in enumerate(data["steps"]):
        for key in ("prompt", "explanation"):
            if step.get(key):
                line = lines.line(("steps", index, key))
                rendered.setdefault(step[key], markdown(step[key], f"{component_id}-{step['id']}", shown, lambda _n, line=line: line))
        for n, hint in enumerate(step.get("hints", [])):
            line = lines.line(("steps", index, "hints", n))
            rendered.setdefault(hint, markdown(hint, f"{component_id}-{step['id']}", shown, lambda _n, line=line: line))
    for name, spec in data["parameters"].items():
        if not spec.get("label", "").strip():
            problems.append(lines.problem(("parameters", name), f"parameter '{name}' has no label: learners see "
                                          "the label, not the name — add one, e.g. label: \"Prescribed activity\""))
    scenario = scenario_from_data(data, lambda text: rendered.get(text, "") if text else "")
    for location, message in scenario_errors(scenario, memo):
        problems.append(lines.problem(location, message))
    settings = {"step_attempts": data.get("step_attempts", 2), "weight": data.get("weight", 1.0)}
    return scenario, settings
