"""Issue 16: a unit that starts with "/" (a decay constant in /h), or is written 1/s or h^-1, is read
by the one parser (`quantities.parse_unit`) everywhere: the build's checks, the block's check_step
(the expected value's conversion and the grading) and the summary plot."""
from __future__ import annotations

import json

import pytest
from webob import Request

from rpt_xblocks.dosimetry.plot import curve_points, value_at
from rpt_xblocks.dosimetry.formula import Formula
from rpt_xblocks.dosimetry.scenario import expected_values, scenario_errors, scenario_from_data
from rpt_xblocks.quantities import Quantity, check_numeric, parse_answer, parse_unit

PER_HOUR_SPELLINGS = ["/h", "1/h", "h^-1", "h**-1", "h⁻¹"]


@pytest.mark.parametrize("text", PER_HOUR_SPELLINGS)
def test_every_spelling_of_per_hour_is_one_unit(text):
    assert parse_unit(text) == parse_unit("/h")


@pytest.mark.parametrize("text,seconds", [("1/s", 1.0), ("/s", 1.0), ("s^-1", 1.0), ("1/min", 1 / 60)])
def test_per_time_units_convert(text, seconds):
    assert Quantity(1, parse_unit(text)).m_as(parse_unit("1/s")) == pytest.approx(seconds)


@pytest.mark.parametrize("answer", ["0.1155 /h", "0.1155 1/h", "0.1155 h^-1", "0.1155/h", "2.772 /d",
                                    "3.208e-5 1/s", "3.208e-5 /s"])
@pytest.mark.parametrize("step_unit", ["/h", "1/h", "h^-1", "1/s"])
def test_a_decay_constant_is_graded_whatever_its_spelling(answer, step_unit):
    """Saha's λ 0.1155 /h for Tc-99m (rpt-facts.md section 7), in any per-time spelling."""
    expected = Quantity(0.1155, parse_unit("/h")).m_as(parse_unit(step_unit))
    assert check_numeric(answer, expected, step_unit, "1%").correct, (answer, step_unit)


def test_a_number_then_1_over_a_unit_is_read_as_that_unit():
    assert parse_answer("5 1/s") == Quantity(5, parse_unit("/s"))
    assert parse_answer("0.5 1/(MBq*h)") == Quantity(0.5, parse_unit("/(MBq*h)"))


DECAY_CONSTANT = {
    "title": "The decay constant of Tc-99m",
    "parameters": {"T_half": {"value": 6.015, "unit": "h", "citation": "ICRP Publication 107"},
                   "A0": {"value": 150, "unit": "mCi"}},
    "steps": [{"id": "lam", "prompt": "λ?", "formula": "ln2 / T_half", "unit": "/h"},
              {"id": "lam_s", "prompt": "λ in 1/s?", "formula": "lam", "unit": "1/s"},
              {"id": "rate", "prompt": "decays?", "formula": "lam_s * A0", "unit": "mCi/s"}],
    "plot": {"title": "λ against T½", "x": "half", "x_unit": "h", "from": 1, "to": 10,
             "formula": "ln2 / half", "y_unit": "/h"},
}


def test_a_scenario_with_per_time_step_and_plot_units_builds_and_evaluates():
    scenario = scenario_from_data(DECAY_CONSTANT)
    assert scenario_errors(scenario) == []
    values = expected_values(scenario, {"T_half": Quantity(6.015, "h"), "A0": Quantity(150, "mCi")})
    assert values["lam"].m_as(parse_unit("/h")) == pytest.approx(0.11524, rel=1e-4)
    assert values["lam_s"].m_as(parse_unit("1/s")) == pytest.approx(0.11524 / 3600, rel=1e-4)


def test_the_plot_reads_a_y_unit_that_starts_with_a_slash():
    points = curve_points("ln2 / half", {}, "half", "h", "/h", 1, 2, count=2)
    assert points == [(1, pytest.approx(0.693147, rel=1e-6)), (2, pytest.approx(0.3465736, rel=1e-6))]
    assert value_at(Formula("ln2 / half"), {}, "half", "h", "1/s", 1) == pytest.approx(0.693147 / 3600)


OLX = """<rpt_dosimetry display_name="λ" step_attempts="2" weight="1.0">
  <parameter name="T_half" unit="h" value="6.015" citation="ICRP Publication 107"/>
  <step id="lam" unit="{unit}" tolerance="1%"><formula>ln2 / T_half</formula><prompt><p>λ?</p></prompt></step>
  <plot title="λ" x="half" x_unit="h" from="1.0" to="10.0" y_unit="/h" mark="T_half"><formula>ln2 / half</formula></plot>
</rpt_dosimetry>"""


def check(block, answer):
    response = block.handle("check_step", Request.blank("/", method="POST",
                                                          body=json.dumps({"step": "lam", "answer": answer}).encode()))
    return response.status_code, json.loads(response.body)


@pytest.mark.parametrize("unit", ["/h", "1/h", "h^-1", "1/s"])
def test_check_step_grades_a_step_in_a_per_time_unit(load_olx, unit):
    block = load_olx(OLX.format(unit=unit))
    status, reply = check(block, "0.1152 /h")
    assert status == 200 and reply["last"]["correct"] is True, reply
    assert reply["current"] is None and "<svg" in reply["plot"]  # the summary plot in /h, marked at T_half
    assert reply["finished"][0]["reference"].endswith(("/h", "/s"))


def test_check_step_explains_a_wrong_answer_in_a_per_time_unit(load_olx):
    block = load_olx(OLX.format(unit="/h"))
    status, reply = check(block, "0.2 1/h")
    assert status == 200 and reply["last"]["correct"] is False and reply["current"]["attempts_left"] == 1
