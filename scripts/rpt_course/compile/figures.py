"""Figures drawn at build time from the physics code, so a picture never disagrees with it.

Contract: a module's `figures/NAME.yaml` (schema `figure.schema.json`: title, alt text, fixed
parameters each with a citation, and a curve `formula` of the variable `x` from `from` to `to`)
becomes `static/NAME.svg`, which lessons show with `![alt text](/static/NAME.svg)`.
`compile_figure(path, shown, problems)` returns the SVG's bytes, or None after adding every
problem at `shown:line`: YAML, schema, and the walkthrough model's own checks of the parameters and
the curve (unknown names, units that do not match, a formula that fails anywhere on the range).
The SVG is the walkthroughs' accessible plot (`dosimetry.plot.svg_plot`), with the alt text as its
description.
"""
from __future__ import annotations

from pathlib import Path

from rpt_course.course_schemas import course_schema
from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks.author_input.check_memo import CheckMemo
from rpt_xblocks.author_input.schema_check import load_checked_yaml
from rpt_xblocks.dosimetry.plot import curve_points, svg_plot
from rpt_xblocks.dosimetry.scenario import learner_parameters, scenario_errors, scenario_from_data

_PLOT_KEYS = ("x", "x_unit", "from", "to", "formula", "y_unit", "x_label", "y_label")


def compile_figure(path: Path, shown: str, problems: list[Problem], memo: CheckMemo | None = None) -> bytes | None:
    loaded = load_checked_yaml(path, shown, course_schema("figure.schema.json"), problems, memo)
    if loaded is None:
        return None
    data, lines = loaded
    scenario = scenario_from_data({"title": data["title"], "parameters": data["parameters"], "steps": [],
                                   "plot": {"title": data["title"], **{k: data[k] for k in _PLOT_KEYS}}})
    errors = scenario_errors(scenario, memo)
    for location, message in errors:
        if location and location[0] == "plot":  # the figure's curve keys sit at the top level
            location = location[1:] or ("formula",)
        problems.append(lines.problem(location, message.replace("the plot's", "the figure's")))
    if errors:
        return None
    plot = scenario.plot
    values = learner_parameters(scenario, "figure")  # fixed values only: the same for everyone
    points = curve_points(plot.formula, values, plot.x, plot.x_unit, plot.y_unit, plot.start, plot.stop)
    svg = svg_plot(points, plot.title, plot.x_label, plot.y_label, description=data["alt"].strip())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n").encode("utf-8")
