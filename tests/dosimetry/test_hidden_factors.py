"""Issue 16: the hidden-factor trap. RG 8.39 Eq. 2 as printed, with Tp in days and a step in R,
gives 12.1 R for 33 mCi instead of 0.505 R (34.6 already holds 24 h/d): the build reports it."""
from __future__ import annotations

import pytest

from rpt_course.cli import main
from rpt_xblocks.dosimetry.formula import Formula, evaluate
from rpt_xblocks.dosimetry.hidden_factors import hidden_conversion_problems
from rpt_xblocks.dosimetry.scenario import expected_values, learner_parameters, scenario_errors, scenario_from_data
from rpt_xblocks.quantities import Quantity, parse_unit

RG839 = {"Gamma": {"value": 2.2, "unit": "R*cm^2/(mCi*h)"}, "Q0": {"value": 33, "unit": "mCi"},
         "Tp": {"value": 8.04, "unit": "d"}, "E": {"value": 0.25, "unit": ""}, "r": {"value": 100, "unit": "cm"}}


def scenario(formula, parameters=RG839, unit="R"):
    return scenario_from_data({"title": "Release", "parameters": parameters,
                               "steps": [{"id": "dose", "prompt": "D?", "formula": formula, "unit": unit}]})


def dose_in_r(formula, parameters=RG839, unit="R"):
    built = scenario(formula, parameters, unit)
    return expected_values(built, learner_parameters(built, "x"))["dose"].m_as(parse_unit(unit))


def test_eq2_as_printed_is_24_times_too_large_and_is_reported():
    printed = "34.6 * Gamma * Q0 * Tp * E / r**2"
    assert dose_in_r(printed) == pytest.approx(12.118, rel=1e-4)  # the trap: 24 × 0.505 R
    (location, message), = scenario_errors(scenario(printed))
    assert location == ("steps", 0, "formula")
    assert "the number 34.6 multiplies" in message and "by a factor of 24" in message and " — " in message


@pytest.mark.parametrize("formula,parameters,unit", [
    ("Gamma * Q0 * Tp * E / r**2 / ln2", RG839, "R"),                 # the 24 taken out, units convert
    ("Gamma * Q0 * Tp * (1.44 * E) / r**2", RG839, "R"),              # the number in brackets with E
    ("rg839_dose_total(Gamma, Q0, Tp, r, E)", RG839, "rem"),          # the physics function (R read as rem)
    ("q(34.6 * Gamma * Q0 * Tp * E / r**2, \"R\")",                   # plain numbers, the unit on the result
     {name: {**spec, "unit": ""} for name, spec in RG839.items()}, "R"),
])
def test_the_fixes_are_not_reported_and_give_the_published_half_rem(formula, parameters, unit):
    assert scenario_errors(scenario(formula, parameters, unit)) == []
    assert dose_in_r(formula, parameters, unit) == pytest.approx(0.505, rel=3e-3)  # rpt-facts.md section 7: 33 mCi


VALUES = {"Q0": Quantity(33, "mCi"), "t": Quantity(48, "h"), "T_half": Quantity(6.647, "d"),
          "A0": Quantity(7.4, "GBq")}


@pytest.mark.parametrize("formula", ["A0 * exp(-0.693 * t / T_half)", "t / T_half * 100", "100 * t / T_half",
                                     "Q0 * (0.693 * t / T_half)", "2 * A0 * t", "0.5 * A0", "A0 / (2 * t)"])
def test_pure_ratios_and_single_units_are_not_reported(formula):
    assert hidden_conversion_problems(Formula(formula), VALUES) == []


def test_a_number_times_mixed_units_is_reported_even_when_meant():
    """The check cannot know what 0.693 holds: it asks for brackets when the conversion is meant."""
    (message,) = hidden_conversion_problems(Formula("0.693 * Q0 * t / T_half"), VALUES)
    assert "by a factor of 1/24" in message and "Q0 * (0.693 * t / T_half)" in message
    grouped = evaluate(Formula("Q0 * (0.693 * t / T_half)"), VALUES).m_as(parse_unit("mCi"))
    assert grouped == pytest.approx(evaluate(Formula("0.693 * Q0 * t / T_half"), VALUES).m_as(parse_unit("mCi")))


def test_the_build_reports_it_at_the_formulas_line(good_course, tmp_path, capsys):
    path = good_course / "intro/walkthroughs/decay.yaml"
    text = path.read_text("utf-8")
    line = text.splitlines().index("    formula: A0 * remaining") + 1
    path.write_text(text.replace("    formula: A0 * remaining", "    formula: 24 * A0 * remaining * t / T_half", 1),
                    "utf-8")
    assert main(["build", str(good_course), "-o", str(tmp_path / "dist")]) == 1
    err = capsys.readouterr().err
    assert f"intro/walkthroughs/decay.yaml:{line}: step 'activity': the number 24 multiplies" in err, err


RG839_PLOT = {"title": "Dose to others", "x": "Q0", "x_unit": "mCi", "from": 1, "to": 200, "y_unit": "R",
              "x_label": "administered activity (mCi)", "y_label": "dose (R)"}


def plot_scenario(formula):
    parameters = {name: spec for name, spec in RG839.items() if name != "Q0"}
    return scenario_from_data({"title": "Release", "parameters": parameters, "steps": [],
                               "plot": {**RG839_PLOT, "formula": formula}})


def test_a_plot_formula_with_the_trap_is_reported_at_the_plots_formula():
    """The same trap in a plot draws a curve 24 times too high: reported as for a step."""
    (location, message), = scenario_errors(plot_scenario("34.6 * Gamma * Q0 * Tp * E / r**2"))
    assert location == ("plot", "formula")
    assert message.startswith("the plot's formula: the number 34.6 multiplies") and "by a factor of 24" in message


def test_a_plot_formula_without_the_trap_is_not_reported():
    assert scenario_errors(plot_scenario("Gamma * Q0 * Tp * E / r**2 / ln2")) == []


def test_a_figure_with_the_trap_is_refused_at_its_formula_line(good_course, tmp_path, capsys):
    figure = good_course / "intro/figures/rg839-dose.yaml"
    figure.write_text(
        "title: Dose to others against administered I-131 activity\n"
        "alt: \"Line chart: the dose at 1 m rises in proportion to the administered activity.\"\n"
        "parameters:\n"
        "  Gamma: {value: 2.2, unit: R*cm^2/(mCi*h), citation: \"RG 8.39\"}\n"
        "  Tp: {value: 8.04, unit: d, citation: \"RG 8.39\"}\n"
        "  E: {value: 0.25, unit: \"\", citation: \"RG 8.39\"}\n"
        "  r: {value: 100, unit: cm, citation: \"RG 8.39\"}\n"
        "x: Q0\nx_unit: mCi\nfrom: 1\nto: 200\n"
        "formula: 34.6 * Gamma * Q0 * Tp * E / r**2\n"
        "y_unit: R\nx_label: administered activity (mCi)\ny_label: dose (R)\n", "utf-8")
    assert main(["build", str(good_course), "-o", str(tmp_path / "dist")]) == 1
    err = capsys.readouterr().err
    assert "intro/figures/rg839-dose.yaml:12: the figure's formula: the number 34.6 multiplies" in err, err
    assert "by a factor of 24" in err and "Traceback" not in err
