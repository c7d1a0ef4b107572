"""The scenario model's new parts (issue 17): described mistakes checked like step formulas,
labels and percentages through the YAML and OLX forms, and drawn numbers at the precision shown."""
from __future__ import annotations

import random

import pytest
from lxml import etree

from rpt_xblocks.dosimetry.mistakes import Mistake, diagnosis, diagnosis_of_text
from rpt_xblocks.dosimetry.scenario import (Parameter, Scenario, _draw, expected_values, learner_parameters,
                                            scenario_errors, scenario_from_data)
from rpt_xblocks.dosimetry.scenario_olx import scenario_from_xml, scenario_to_xml


def scenario(mistakes, unit="GBq", extra=None):
    return scenario_from_data({"title": "T", "parameters": {
        "A0": {"label": "Calibrated activity", "value": 7.4, "unit": "GBq"},
        "T_half": {"label": "Half-life", "value": 6.647, "unit": "d"},
        "t": {"label": "Time", "min": 24, "max": 72, "step": 12, "unit": "h"},
        "limit": {"label": "Limit", "value": 20, "unit": "%"}, **(extra or {})},
        "steps": [{"id": "df", "prompt": "?", "formula": "decay_factor(T_half, t)", "unit": ""},
                  {"id": "A", "prompt": "?", "formula": "A0 * df", "unit": unit, "mistakes": mistakes}]})


@pytest.mark.parametrize("formula,expected", [
    ("A0 * rem", "mistake 1 of step 'A' uses rem, not defined before the step"),
    ("A", "mistake 1 of step 'A' uses A, not defined before the step"),  # not its own step
    ("T_half", "mistake 1 of step 'A': "),
    ("A0 * (", "mistake 1 of step 'A': "),
    ("A0 * df", "mistake 1 of step 'A' gives the right answer (within the step's tolerance) everywhere"),
    ("A0 * t / 24", "mistake 1 of step 'A': "),
])
def test_a_mistake_is_checked_like_a_step_formula(formula, expected):
    errors = scenario_errors(scenario([{"formula": formula, "message": "slip"}]))
    assert [location for location, _ in errors] == [("steps", 1, "mistakes", 0, "formula")], errors
    assert errors[0][1].startswith(expected), errors


def test_a_mistake_hiding_a_unit_conversion_is_refused():
    errors = scenario_errors(scenario([{"formula": "A0 * df * 1000", "message": "slip"}], unit="MBq"))
    assert not errors  # a factor of 1000 with the units left to convert is only a wrong answer
    errors = scenario_errors(scenario([{"formula": "A0 * 24 * t / T_half", "message": "hours and days mixed"}]))
    assert errors and "the number 24 multiplies" in errors[0][1], errors


def test_the_diagnosis_matches_within_the_steps_tolerance_and_only_then():
    model = scenario([{"formula": "A0", "message": "not decay-corrected"},
                      {"formula": "A0 / df", "message": "inverted"}])
    assert scenario_errors(model) == []
    step = model.steps[1]
    values = learner_parameters(model, "x")
    values.update(expected_values(model, values, 1))
    assert diagnosis(step, 7.4 * 1.009, values) == "not decay-corrected"
    assert diagnosis(step, 7.4 * 1.02, values) == ""
    assert diagnosis(step, 7.4 / values["df"], values) == "inverted"
    assert diagnosis_of_text(step, "7400 MBq", values) == "not decay-corrected"
    assert diagnosis_of_text(step, "nonsense", values) == ""


def test_labels_percentages_and_mistakes_survive_the_stored_and_olx_forms():
    model = scenario([{"formula": "A0", "message": "not decay-corrected"}])
    assert model.parameters[0].label == "Calibrated activity"
    assert model.parameters[3].percent is True and model.parameters[3].unit == ""
    assert model.steps[1].mistakes == (Mistake("A0", "not decay-corrected"),)
    assert Scenario.from_dict(model.to_dict()) == model
    again, errors = scenario_from_xml(etree.fromstring(etree.tostring(scenario_to_xml(model))))
    assert errors == [] and again == model
    plain = scenario([])
    stored = plain.to_dict()
    assert "mistakes" not in stored["steps"][1] and "percent" not in stored["steps"][1]


def test_a_range_without_a_step_is_drawn_at_the_precision_shown():
    rng = random.Random(3)
    free = Parameter(name="x", unit="h", low=1.0, high=7.0)
    for _ in range(200):
        value = _draw(free, rng)
        assert 1.0 <= value <= 7.0 and value == float(f"{value:.3g}")
    grid = Parameter(name="A", unit="GBq", low=5.5, high=7.4, step=0.1)
    values = {_draw(grid, rng) for _ in range(300)}
    assert values <= {round(5.5 + 0.1 * k, 10) for k in range(20)}, sorted(values)
