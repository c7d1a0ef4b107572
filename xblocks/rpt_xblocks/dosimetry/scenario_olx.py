"""The OLX form of a walkthrough scenario: `<rpt_dosimetry>` with `<parameter>` and `<step>` children.

Contract: `scenario_to_xml(scenario, url_name=None)` writes the element; `scenario_from_xml(element)`
reads it back into an equal `Scenario`, listing what cannot be read as `(location, message)`
(a number that is not one, a missing id or formula). A step's `figures` (significant figures
of its reference value) is written only when it is not the default 3; `percent="true"` marks a
percentage (a parameter's or a step's), `label` is a parameter's learner-facing name. Texts are XHTML fragments (see
xhtml_elements); formulas are plain text, evaluated only by formula.py.

    <rpt_dosimetry display_name="Decay-correcting a Lu-177 dosage">
      <parameter name="A0" unit="GBq" value="7.4" label="Calibrated activity"/>
      <parameter name="t" unit="h" min="24" max="72" step="12" citation="..."/>
      <step id="remaining" unit="" tolerance="1%" source="ICRP Publication 107" figures="4">
        <formula>exp(-ln2 * t / T_half)</formula>
        <prompt><p>...</p></prompt> <hint>...</hint> <explanation>...</explanation>
        <mistake message="decay factor inverted"><formula>exp(ln2 * t / T_half)</formula></mistake>
      </step>
    </rpt_dosimetry>
"""
from __future__ import annotations

from lxml import etree

from rpt_xblocks.dosimetry.mistakes import Mistake
from rpt_xblocks.dosimetry.scenario import DEFAULT_FIGURES, Parameter, Plot, Scenario, Step
from rpt_xblocks.xhtml_elements import append_xhtml, inner_xhtml

TAG = "rpt_dosimetry"
_NUMBERS = ("value", "min", "max", "step")
_FIELDS = {"value": "value", "min": "low", "max": "high", "step": "step"}


def scenario_to_xml(scenario: Scenario, url_name: str | None = None) -> etree._Element:
    root = etree.Element(TAG)
    if url_name:
        root.set("url_name", url_name)
    root.set("display_name", scenario.title)
    for parameter in scenario.parameters:
        element = etree.SubElement(root, "parameter", name=parameter.name, unit=parameter.unit)
        for attribute, field in _FIELDS.items():
            if getattr(parameter, field) is not None:
                element.set(attribute, repr(float(getattr(parameter, field))))
        if parameter.citation:
            element.set("citation", parameter.citation)
        if parameter.label:
            element.set("label", parameter.label)
        if parameter.percent:
            element.set("percent", "true")
    for step in scenario.steps:
        element = etree.SubElement(root, "step", id=step.id, unit=step.unit, tolerance=step.tolerance)
        if step.source:
            element.set("source", step.source)
        if step.figures != DEFAULT_FIGURES:
            element.set("figures", str(step.figures))
        if step.percent:
            element.set("percent", "true")
        etree.SubElement(element, "formula").text = step.formula
        append_xhtml(element, "prompt", step.prompt)
        for hint in step.hints:
            append_xhtml(element, "hint", hint)
        append_xhtml(element, "explanation", step.explanation)
        for mistake in step.mistakes:
            etree.SubElement(etree.SubElement(element, "mistake", message=mistake.message), "formula").text = mistake.formula
    if scenario.plot is not None:
        plot = scenario.plot
        element = etree.SubElement(root, "plot", title=plot.title, x=plot.x, x_unit=plot.x_unit,
                                   **{"from": repr(float(plot.start)), "to": repr(float(plot.stop))}, y_unit=plot.y_unit)
        for name in ("x_label", "y_label", "mark"):
            if getattr(plot, name):
                element.set(name, getattr(plot, name))
        etree.SubElement(element, "formula").text = plot.formula
    return root


def scenario_from_xml(element: etree._Element) -> tuple[Scenario, list]:
    errors: list = []
    parameters = []
    for node in element.iterchildren("parameter"):
        numbers = {}
        for attribute, field in _FIELDS.items():
            raw = node.get(attribute)
            if raw is None:
                numbers[field] = None
                continue
            try:
                numbers[field] = float(raw)
            except ValueError:
                errors.append((("parameters", node.get("name", "")),
                               f"{attribute}={raw!r} of parameter '{node.get('name', '')}' is not a number — fix it"))
                numbers[field] = None
        parameters.append(Parameter(name=node.get("name", ""), unit=node.get("unit", ""),
                                    citation=node.get("citation", ""), label=node.get("label", ""),
                                    percent=node.get("percent") == "true", **numbers))
    steps = []
    for index, node in enumerate(element.iterchildren("step")):
        formula = node.findtext("formula")
        if not node.get("id") or not (formula or "").strip():
            errors.append((("steps", index), f"step {index + 1} needs an id and a <formula> — add them"))
        figures = node.get("figures", str(DEFAULT_FIGURES))
        if not figures.strip().isdigit():
            errors.append((("steps", index, "figures"), f"figures={figures!r} of step {index + 1} is not a whole "
                           f"number — write the significant figures of its reference value, such as figures=\"4\""))
            figures = str(DEFAULT_FIGURES)
        steps.append(Step(id=node.get("id", ""), prompt=inner_xhtml(node.find("prompt")), formula=(formula or "").strip(),
                          unit=node.get("unit", ""), tolerance=node.get("tolerance", "1%"),
                          hints=tuple(inner_xhtml(h) for h in node.iterchildren("hint")),
                          explanation=inner_xhtml(node.find("explanation")), source=node.get("source", ""),
                          figures=int(figures), percent=node.get("percent") == "true",
                          mistakes=tuple(Mistake(formula=(m.findtext("formula") or "").strip(),
                                                 message=m.get("message", ""))
                                         for m in node.iterchildren("mistake"))))
    plot = None
    node = element.find("plot")
    if node is not None:
        try:
            start, stop = float(node.get("from", "")), float(node.get("to", ""))
        except ValueError:
            errors.append((("plot",), "the plot needs numbers in `from` and `to` — fix them"))
            start, stop = 0.0, 0.0
        plot = Plot(title=node.get("title", ""), x=node.get("x", ""), x_unit=node.get("x_unit", ""), start=start,
                    stop=stop, formula=(node.findtext("formula") or "").strip(), y_unit=node.get("y_unit", ""),
                    x_label=node.get("x_label", ""), y_label=node.get("y_label", ""), mark=node.get("mark", ""))
    scenario = Scenario(title=element.get("display_name", ""), parameters=tuple(parameters), steps=tuple(steps), plot=plot)
    return scenario, errors
