"""Issue 16: a step's reference value is shown to the significant figures its author sets (`figures`,
default 3), in the YAML, the OLX (round trip) and the learner's view."""
from __future__ import annotations

import copy

import pytest
from lxml import etree

from rpt_course.cli import main
from rpt_xblocks.dosimetry.scenario import Scenario, expected_values, scenario_errors, scenario_from_data
from rpt_xblocks.dosimetry.scenario_olx import scenario_from_xml, scenario_to_xml
from rpt_xblocks.dosimetry.walkthrough_view import walkthrough_state
from rpt_xblocks.quantities import Quantity

DECAY = {
    "title": "Decay-correcting a Lu-177 dosage",
    "parameters": {"A0": {"value": 7.4, "unit": "GBq"},
                   "T_half": {"value": 6.647, "unit": "d", "citation": "ICRP Publication 107"},
                   "t": {"value": 48, "unit": "h"}},
    "steps": [
        {"id": "remaining", "prompt": "Fraction?", "formula": "exp(-ln2 * t / T_half)", "unit": "", "figures": 4,
         "explanation": "It is {remaining}."},
        {"id": "activity", "prompt": "Activity?", "formula": "A0 * remaining", "unit": "GBq",
         "explanation": "{A0} × {remaining} = {activity}."},
    ],
}
PARAMETERS = {"A0": Quantity(7.4, "GBq"), "T_half": Quantity(6.647, "d"), "t": Quantity(48, "h")}
# e^(−ln 2 · 2 / 6.647) = 0.811836…; 7.4 GBq × 0.811836 = 6.00759 GBq


def finished_state(scenario: Scenario) -> dict:
    done = {s.id: {"done": True, "attempts": 1, "answer": "1", "correct": True} for s in scenario.steps}
    return walkthrough_state(scenario, PARAMETERS, expected_values(scenario, PARAMETERS), done, 2)


def test_the_reference_is_shown_to_the_steps_figures():
    state = finished_state(scenario_from_data(DECAY))
    first, second = state["finished"]
    assert first["reference"] == "0.8118" and "It is 0.8118." in first["explanation"]
    assert second["reference"] == "6.01 GBq"  # the default, 3
    assert "× 0.8118 = 6.01 GBq" in second["explanation"]  # each value to its own step's figures


def test_without_figures_the_default_three_is_kept():
    data = copy.deepcopy(DECAY)
    del data["steps"][0]["figures"]
    scenario = scenario_from_data(data)
    assert scenario.steps[0].figures == 3
    assert finished_state(scenario)["finished"][0]["reference"] == "0.812"


def test_figures_round_trip_through_olx_and_the_stored_form():
    scenario = scenario_from_data(DECAY)
    element = scenario_to_xml(scenario)
    steps = list(element.iterchildren("step"))
    assert steps[0].get("figures") == "4" and steps[1].get("figures") is None  # the default is not written
    again, errors = scenario_from_xml(etree.fromstring(etree.tostring(element)))
    assert errors == [] and again == scenario
    assert Scenario.from_dict(scenario.to_dict()) == scenario
    stored = scenario.to_dict()
    assert [step.get("figures") for step in stored["steps"]] == [4, None]  # the default is not stored
    assert [s.figures for s in Scenario.from_dict(stored).steps] == [4, 3]


@pytest.mark.parametrize("raw", ["four", "4.5", ""])
def test_figures_that_are_not_a_whole_number_are_reported_from_olx(raw):
    element = scenario_to_xml(scenario_from_data(DECAY))
    element.find("step").set("figures", raw)
    _scenario, errors = scenario_from_xml(element)
    assert [location for location, _ in errors] == [("steps", 0, "figures")]
    assert "is not a whole number — write" in errors[0][1]


@pytest.mark.parametrize("figures", [0, 7, 99])
def test_figures_out_of_range_are_reported(figures):
    data = copy.deepcopy(DECAY)
    data["steps"][0]["figures"] = figures
    errors = scenario_errors(scenario_from_data(data))
    assert [location for location, _ in errors] == [("steps", 0, "figures")]
    assert "use a whole number from 1 to 6" in errors[0][1]


WALKTHROUGH = "intro/walkthroughs/decay.yaml"


@pytest.mark.parametrize("value,ok", [("4", True), ("0", False), ("7", False), ("'4'", False)])
def test_the_schema_takes_figures(good_course, tmp_path, capsys, value, ok):
    path = good_course / WALKTHROUGH
    text = path.read_text("utf-8")
    line = text.splitlines().index("    source: ICRP Publication 107") + 2
    path.write_text(text.replace("    source: ICRP Publication 107\n",
                                 f"    source: ICRP Publication 107\n    figures: {value}\n", 1), "utf-8")
    out = tmp_path / "dist"
    status = main(["build", str(good_course), "-o", str(out)])
    err = capsys.readouterr().err
    if ok:
        assert status == 0, err
        return
    assert status == 1 and f"{WALKTHROUGH}:{line}: 'figures'" in err, err
