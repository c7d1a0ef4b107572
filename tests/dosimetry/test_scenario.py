"""Scenario model: per-learner parameters, expected values carried forward, and authoring errors
found by evaluating every formula over the parameter ranges."""
from __future__ import annotations

import pytest

from rpt_xblocks.dosimetry.physics import activity_at
from rpt_xblocks.dosimetry.scenario import expected_values, learner_parameters, scenario_errors, scenario_from_data
from rpt_xblocks.quantities import Quantity

DECAY = {
    "title": "Decay-correcting a Lu-177 dosage",
    "parameters": {
        "A0": {"value": 7.4, "unit": "GBq"},
        "T_half": {"value": 6.647, "unit": "d", "citation": "ICRP Publication 107"},
        "t": {"min": 24, "max": 72, "step": 12, "unit": "h"},
    },
    "steps": [
        {"id": "remaining", "prompt": "What fraction remains after {t}?", "formula": "exp(-ln2 * t / T_half)", "unit": ""},
        {"id": "activity", "prompt": "What activity remains?", "formula": "A0 * remaining", "unit": "GBq"},
    ],
}


def test_parameters_are_stable_per_learner_and_vary_between_learners():
    scenario = scenario_from_data(DECAY)
    first = learner_parameters(scenario, "learner-1|block")
    assert first == learner_parameters(scenario, "learner-1|block")
    times = {learner_parameters(scenario, f"learner-{n}|block")["t"].m_as("h") for n in range(40)}
    assert times <= {24, 36, 48, 60, 72} and len(times) > 1
    assert first["A0"] == Quantity(7.4, "GBq")


def test_expected_values_carry_each_step_forward():
    scenario = scenario_from_data(DECAY)
    parameters = {"A0": Quantity(7.4, "GBq"), "T_half": Quantity(6.647, "d"), "t": Quantity(48, "h")}
    values = expected_values(scenario, parameters)
    expected = activity_at(Quantity(7.4, "GBq"), Quantity(6.647, "d"), Quantity(48, "h"))
    assert values["activity"].m_as("GBq") == pytest.approx(expected.m_as("GBq"), rel=1e-12)


def test_reference_values_come_in_the_steps_unit():
    data = {**DECAY, "steps": [*DECAY["steps"], {"id": "mean_life", "prompt": "Mean life?",
                                                  "formula": "T_half / ln2", "unit": "h"}]}
    values = expected_values(scenario_from_data(data), {"A0": Quantity(200, "mCi"), "T_half": Quantity(6.647, "d"),
                                                        "t": Quantity(48, "h")})
    assert f"{values['activity'].units:~P}" == "GBq" and f"{values['mean_life'].units:~P}" == "h"
    assert values["mean_life"].magnitude == pytest.approx(6.647 * 24 / 0.6931471805599453)


def test_a_good_scenario_has_no_errors():
    assert scenario_errors(scenario_from_data(DECAY)) == []


def _with_step(**changes):
    data = {**DECAY, "steps": [dict(DECAY["steps"][0]), dict(DECAY["steps"][1], **changes)]}
    return scenario_from_data(data)


@pytest.mark.parametrize("changes,location,words", [
    ({"formula": "A0 * remainder"}, ("steps", 1, "formula"), "remainder"),
    ({"formula": "A0 / (t - t)"}, ("steps", 1, "formula"), "fails at"),
    ({"formula": "A0 + t"}, ("steps", 1, "formula"), "fails at"),
    ({"unit": "mSv"}, ("steps", 1, "unit"), "dose equivalent"),
    ({"id": "A0"}, ("steps", 1, "id"), "already used"),
    ({"id": "2nd"}, ("steps", 1, "id"), "must start with a letter"),
    ({"id": "exp"}, ("steps", 1, "id"), "already used"),
    ({"unit": ""}, ("steps", 1, "unit"), "pure number"),
])
def test_authoring_mistakes_are_located(changes, location, words):
    errors = scenario_errors(_with_step(**changes))
    assert errors and errors[0][0] == location and words in errors[0][1], errors


def test_a_range_that_reaches_a_bad_value_is_caught_at_its_corner():
    data = {**DECAY, "parameters": {**DECAY["parameters"], "t": {"min": 0, "max": 72, "unit": "h"}},
            "steps": [{"id": "rate", "prompt": "p", "formula": "A0 / t", "unit": "GBq/h"}]}
    errors = scenario_errors(scenario_from_data(data))
    assert errors and "t=0 h" in errors[0][1]


def test_a_later_step_may_not_use_a_later_name():
    data = {**DECAY, "steps": [dict(DECAY["steps"][1]), dict(DECAY["steps"][0])]}
    errors = scenario_errors(scenario_from_data(data))
    assert errors[0][0] == ("steps", 0, "formula") and "remaining" in errors[0][1]


@pytest.mark.parametrize("spec", [{"min": 5, "max": 5, "unit": "h"}, {"unit": "h"}, {"min": 1, "max": 2, "step": 5, "unit": "h"},
                                  {"value": 3, "unit": "mCu"}, {"value": 3, "unit": "2**2**2**2 Bq"}])
def test_bad_ranges_are_reported(spec):
    data = {**DECAY, "parameters": {**DECAY["parameters"], "t": spec}}
    errors = scenario_errors(scenario_from_data(data))
    assert errors and errors[0][0] == ("parameters", "t")


def test_a_parameter_may_not_take_a_function_name():
    data = {**DECAY, "parameters": {**DECAY["parameters"], "pi": {"value": 3, "unit": ""}}}
    errors = scenario_errors(scenario_from_data(data))
    assert errors and errors[0][0] == ("parameters", "pi") and "function or constant" in errors[0][1]


PLOT = {"title": "Activity", "x": "time", "x_unit": "h", "from": 0, "to": 336,
        "formula": "activity_at(A0, T_half, time)", "y_unit": "GBq", "mark": "t"}


@pytest.mark.parametrize("changes,location", [
    ({"formula": "activity_at(A0, T_half, tim)"}, ("plot", "formula")),
    ({"y_unit": "mSv"}, ("plot", "formula")),
    ({"x": "t"}, ("plot", "x")),
    ({"from": 400}, ("plot",)),
    ({"mark": "nothing"}, ("plot", "mark")),
    ({"x_unit": "hours_and_more"}, ("plot", "x_unit")),
    ({"y_unit": "GBqq"}, ("plot", "y_unit")),
])
def test_plot_mistakes_are_located(changes, location):
    errors = scenario_errors(scenario_from_data({**DECAY, "plot": {**PLOT, **changes}}))
    assert errors and errors[0][0] == location, errors


def test_a_good_plot_has_no_errors():
    assert scenario_errors(scenario_from_data({**DECAY, "plot": PLOT})) == []


@pytest.mark.parametrize("low,high,expected", [
    (0, 336, [0, 100, 200, 300]), (0, 7.77, [0, 2, 4, 6]), (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]), (3, 3, [3]),
])
def test_plot_ticks_are_round_numbers(low, high, expected):
    from rpt_xblocks.dosimetry.plot import nice_ticks
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_the_stored_form_round_trips():
    from rpt_xblocks.dosimetry.scenario import Scenario
    scenario = scenario_from_data({**DECAY, "plot": PLOT})
    assert Scenario.from_dict(scenario.to_dict()) == scenario
