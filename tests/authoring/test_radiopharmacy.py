"""The radiopharmacy module (issue 16): its numbers agree with the primary sources it cites, its
walkthroughs reproduce the lessons' worked examples, and the graders count its graded sections.

Sources: 10 CFR 35.204(a) (0.15 kBq Mo-99 per MBq Tc-99m); the USP 35 medronate monograph (impurities
not more than 10.0% in sum); the Lutathera EU SmPC (370 MBq/mL at calibration); ICRP Publication 107
half-lives, read from the `radioactivedecay` package that ships the ICRP-107 data set.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import radioactivedecay
import yaml

from course_walkthroughs import course_walkthroughs
from course_walkthroughs import expected as _expected
from rpt_xblocks.dosimetry.scenario import expected_values, learner_parameters
from rpt_xblocks.quantities import check_numeric

CONTENT = Path(__file__).resolve().parents[2] / "course_content"
MODULE = CONTENT / "radiopharmacy"


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def _questions() -> dict:
    return {q["id"]: q for q in _yaml(MODULE / "quizzes/radiopharmacy.yaml")["questions"]}


def _expected_counts(**counts: float) -> dict:
    """The TLC walkthrough's reference values with its (unitless) counts set by hand."""
    scenario = course_walkthroughs()["rx_tlc_walkthrough"]
    parameters = learner_parameters(scenario, "any learner")
    parameters.update(counts)
    return expected_values(scenario, parameters)


def _expected_mo(mo_uci: float, tc_mci: float, hours: float) -> dict:
    """The Mo-99 walkthrough's reference values for given (unitless) activities and time."""
    from rpt_xblocks.quantities import Quantity
    scenario = course_walkthroughs()["rx_mo99_breakthrough_walkthrough"]
    parameters = learner_parameters(scenario, "any learner")
    parameters.update(Mo=mo_uci, Tc=tc_mci, t=Quantity(hours, "h"))
    return expected_values(scenario, parameters)


def _step(url_name: str, step_id: str):
    return next(s for s in course_walkthroughs()[url_name].steps if s.id == step_id)


def test_the_module_follows_physics_instrumentation():
    modules = _yaml(CONTENT / "course.yaml")["modules"]
    assert modules[modules.index("physics_instrumentation") + 1] == "radiopharmacy"


@pytest.mark.parametrize("grader_type", ["Knowledge check", "Walkthrough"])
def test_each_grader_counts_the_graded_sections_of_its_type(grader_type):
    course = _yaml(CONTENT / "course.yaml")
    sections = [section for folder in course["modules"] for section in _yaml(CONTENT / folder / "module.yaml")["sections"]
                if section.get("format") == grader_type]
    grader, = (g for g in course["grading"]["graders"] if g["type"] == grader_type)
    assert grader["min_count"] == len(sections)


@pytest.mark.parametrize("walkthrough, name, nuclide", [
    ("walkthroughs/mo99-breakthrough.yaml", "T_Mo", "Mo-99"),
    ("walkthroughs/mo99-breakthrough.yaml", "T_Tc", "Tc-99m"),
    ("walkthroughs/lu177-volume-to-draw.yaml", "T_half", "Lu-177"),
])
def test_walkthrough_half_lives_are_icrp_107(walkthrough, name, nuclide):
    parameter = _yaml(MODULE / walkthrough)["parameters"][name]
    icrp = radioactivedecay.Nuclide(nuclide).half_life(parameter["unit"])
    assert parameter["value"] == pytest.approx(icrp, rel=5e-4)
    assert "ICRP Publication 107" in parameter["citation"]


def test_mo99_limit_is_0_15_everywhere_it_is_stated():
    assert _yaml(MODULE / "walkthroughs/mo99-breakthrough.yaml")["parameters"]["limit"]["value"] == 0.15
    question = _questions()["rx_mo99_limit"]
    assert question["answer"] == 0.15 and question["citation"].startswith("10 CFR 35.204")
    lesson = (MODULE / "lessons/generators-and-kits.md").read_text("utf-8")
    assert "0.15 kBq of Mo-99 per MBq of Tc-99m" in lesson and "0.15 µCi of Mo-99 per mCi of Tc-99m" in lesson
    # no other Mo-99 limit is given anywhere in the module
    texts = " ".join(p.read_text("utf-8") for p in MODULE.rglob("*") if p.suffix in (".md", ".yaml"))
    limits = set(re.findall(r"(\d+\.\d+) (?:kBq|µCi)(?: of)? Mo-99", texts))
    assert limits == {"0.15"}


def test_mo99_ratio_grows_as_the_lesson_says():
    # lesson: 0.10 µCi/mCi at elution is about 0.19 six hours later (factor 1.87)
    expected = _expected_mo(40, 400, 6)
    assert expected["R0"] == pytest.approx(0.10)
    assert expected["growth"] == pytest.approx(1.87, abs=0.005)
    assert round(expected["R_adm"], 2) == 0.19
    # and the time to the limit solves R0·growth(t) = 0.15
    at_limit = _expected_mo(40, 400, expected["t_limit"].m_as("h"))
    assert at_limit["R_adm"] == pytest.approx(0.15, rel=1e-9)


def test_volume_walkthrough_reproduces_the_lesson_example_and_catches_a_forgotten_decay():
    expected = _expected("rx_volume_walkthrough", t="24 h", A_presc="7.4 GBq")
    assert expected["V"].m_as("mL") == pytest.approx(22.2, abs=0.05)
    assert "7,400 / 333.4 = 22.2 mL" in (MODULE / "lessons/dispensing-and-assay.md").read_text("utf-8")
    assert _questions()["rx_volume_one_day"]["answer"] == 22.2
    step = _step("rx_volume_walkthrough", "V")
    assert check_numeric("22.2 mL", expected["V"].m_as("mL"), "mL", step.tolerance).correct
    assert not check_numeric("20 mL", expected["V"].m_as("mL"), "mL", step.tolerance).correct  # 7,400 / 370, no decay
    assert expected["A_low"].m_as("GBq") == pytest.approx(7.4 * 0.8)


def test_tlc_walkthrough_applies_the_usp_limit_to_the_sum_of_both_strips():
    passing = _expected_counts(bkg=50, a_origin=4250, a_rest=95850, b_front=3150, b_rest=96950)
    assert passing["hydro"] == pytest.approx(4.2, abs=0.01) and passing["free"] == pytest.approx(3.1, abs=0.01)
    assert passing["rcp"] == pytest.approx(92.7, abs=0.02) and passing["margin"] > 0
    failing = _expected_counts(bkg=50, a_origin=6000, a_rest=80000, b_front=5000, b_rest=80000)
    assert failing["margin"] < 0  # each impurity under 10% alone, their sum over it
    assert failing["hydro"] < 10 and failing["free"] < 10
    assert _yaml(MODULE / "walkthroughs/tc99m-medronate-tlc.yaml")["parameters"]["limit"]["value"] == 10
    assert _questions()["rx_mdp_impurity_limit"]["answer"] == 10


def test_lutathera_concentration_and_fill_agree():
    # 370 MBq/mL at calibration; the 20.5-25.0 mL fill holds 7.4 GBq at infusion, so infusion is up to
    # ln(25.0 / 20.0) / ln 2 half-lives after calibration, which the lesson's one-day example respects
    assert _questions()["rx_lutathera_concentration"]["answer"] == 370
    assert 20.5 <= 7400 / (370 * math.exp(-math.log(2) * 1 / 6.647)) <= 25.0
