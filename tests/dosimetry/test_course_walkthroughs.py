"""The course's walkthroughs reproduce the published answers they teach (reference sheet section 7)."""
from __future__ import annotations

import math
from pathlib import Path

from lxml import etree

from rpt_course.build import build_files
from rpt_xblocks.dosimetry.scenario import expected_values, learner_parameters
from rpt_xblocks.dosimetry.scenario_olx import scenario_from_xml
from course_walkthroughs import course_walkthroughs
from course_walkthroughs import expected as _expected
from rpt_xblocks.quantities import Quantity, check_numeric

CONTENT = Path(__file__).resolve().parents[2] / "course_content"


def test_the_i131_release_walkthrough_gives_the_published_33_mci():
    _, files = build_files(CONTENT)
    vertical = etree.fromstring(files["course/vertical/rp_patient_release.xml"])
    scenario, errors = scenario_from_xml(vertical.find("rpt_dosimetry"))
    assert errors == []
    expected = expected_values(scenario, learner_parameters(scenario, "any learner"))
    # RG 8.39's default release value: 33 mCi (1.2 GBq); the rounding implies +/- 0.5 mCi.
    assert abs(expected["release_activity"].m_as("mCi") - 33) <= 0.5
    step = next(s for s in scenario.steps if s.id == "release_activity")
    for published in ("33 mCi", "1.2 GBq"):
        assert check_numeric(published, expected["release_activity"].m_as("mCi"), "mCi", step.tolerance).correct, published


# --- the dosimetry module and the patient-specific release unit --------------------------------------
# Each answer below is computed here by hand (math, not the physics functions the formulas call), from
# the reference sheet's numbers, and compared with what the shipped scenario expects.

LN2 = math.log(2)
ILLUSTRATIVE = "illustrative value for this exercise"
NEW_WALKTHROUGHS = ("do_lutathera_kidney_walkthrough", "do_pluvicto_decay_walkthrough",
                    "do_xofigo_volume_walkthrough", "rp_i131_instructions_walkthrough",
                    "rp_i131_dose_rate_walkthrough", "pr_i131_uptake_walkthrough")


def test_every_new_walkthrough_is_shipped_and_cites_every_parameter():
    scenarios = course_walkthroughs()
    for url_name in NEW_WALKTHROUGHS:
        for parameter in scenarios[url_name].parameters:
            assert parameter.citation, (url_name, parameter.name)
            if parameter.ranged:  # invented case data must say so
                assert parameter.citation.startswith(ILLUSTRATIVE), (url_name, parameter.name)
        assert all(step.source for step in scenarios[url_name].steps), url_name


def test_the_kidney_s_value_is_marked_illustrative_not_presented_as_fact():
    (s_value,) = [p for p in course_walkthroughs()["do_lutathera_kidney_walkthrough"].parameters if p.name == "S"]
    assert s_value.citation == ILLUSTRATIVE


def test_lutathera_kidney_dose_by_hand():
    activities = {"A1": 120, "A2": 90, "A3": 60, "A4": 20}  # MBq at 4, 24, 72 and 168 h
    expected = _expected("do_lutathera_kidney_walkthrough", **{k: f"{v} MBq" for k, v in activities.items()})
    flat = 120 * 4
    trapezoids = 20 * (120 + 90) / 2 + 48 * (90 + 60) / 2 + 96 * (60 + 20) / 2
    tail = 20 * 6.647 * 24 / LN2  # physical decay only after the last point, Lu-177 T1/2 6.647 d (ICRP 107)
    tia = flat + trapezoids + tail  # MBq·h
    assert math.isclose(expected["tia_start"].m_as("MBq*h"), flat, rel_tol=1e-9)
    assert math.isclose(expected["tia_between"].m_as("MBq*h"), trapezoids, rel_tol=1e-9)
    assert math.isclose(expected["tia_tail"].m_as("MBq*h"), tail, rel_tol=1e-9)
    assert math.isclose(expected["tia"].m_as("MBq*h"), tia, rel_tol=1e-9)
    assert math.isclose(expected["tiac"].m_as("h"), tia / 7400, rel_tol=1e-9)  # 7.4 GBq administered
    dose = tia * 0.28 / 1000  # Gy, with the exercise's illustrative S of 0.28 mGy/(MBq·h)
    assert math.isclose(expected["dose_cycle"].m_as("Gy"), dose, rel_tol=1e-9)
    assert math.isclose(expected["dose_total"].m_as("Gy"), 4 * dose, rel_tol=1e-9)  # 4 cycles (Lutathera label)
    assert math.isclose(expected["fraction_of_td55"], 4 * dose / 23, rel_tol=1e-9)  # Emami 23 Gy


def test_pluvicto_decay_factor_and_dosage_checks_by_hand():
    expected = _expected("do_pluvicto_decay_walkthrough", A_cal="8 GBq", t="24 h")
    factor = 0.5 ** (1 / 6.647)  # one day of Lu-177 decay, T1/2 6.647 d (ICRP 107)
    assert math.isclose(factor, 0.9010, abs_tol=5e-5)
    assert math.isclose(expected["df"], factor, rel_tol=1e-9)
    assert math.isclose(expected["A_admin"].m_as("GBq"), 8 * factor, rel_tol=1e-9)
    percent = (8 * factor / 7.4 - 1) * 100  # about -2.6 %: inside the label's 7.4 GBq ± 10%
    assert math.isclose(expected["pct"], percent, rel_tol=1e-9)
    assert math.isclose(expected["margin_label"], 10 - abs(percent), rel_tol=1e-9)
    assert math.isclose(expected["margin_3563"], 20 - abs(percent), rel_tol=1e-9)
    latest = 6.647 * 24 * math.log(8 / 6.66) / LN2  # hours until 90% of 7.4 GBq
    assert math.isclose(expected["t_latest"].m_as("h"), latest, rel_tol=1e-9)
    late = _expected("do_pluvicto_decay_walkthrough", A_cal="8 GBq", t="60 h")
    assert late["margin_label"] < 0 < late["margin_3563"]  # 6.16 GBq: outside ± 10%, within 20%


def test_xofigo_volume_for_a_hand_computed_weight():
    # The label's decay table counts from 12 noon CET, 7 h before 12 noon CST (reference sheet section 5).
    on_the_reference_date = _expected("do_xofigo_volume_walkthrough", W="70 kg", n="0 d")
    day_0 = 0.5 ** ((7 / 24) / 11.43)
    assert round(day_0, 3) == 0.982  # the label's day-0 factor
    assert math.isclose(on_the_reference_date["volume"].m_as("mL"), 70 * 55 / (day_0 * 1100), rel_tol=1e-9)
    expected = _expected("do_xofigo_volume_walkthrough", W="70 kg", n="7 d")
    factor = 0.5 ** ((7 + 7 / 24) / 11.43)  # Ra-223 T1/2 11.43 d (ICRP 107), plus the label's 7 h
    assert round(factor, 3) == 0.643  # the label's day-7 factor
    assert math.isclose(expected["activity"].m_as("kBq"), 3850, rel_tol=1e-9)
    assert math.isclose(expected["df"], factor, rel_tol=1e-9)
    assert math.isclose(expected["concentration"].m_as("kBq/mL"), 1100 * factor, rel_tol=1e-9)
    volume = 70 * 55 / (factor * 1100)
    assert round(volume, 2) == 5.45
    assert math.isclose(expected["volume"].m_as("mL"), volume, rel_tol=1e-9)


def test_effective_half_life_gives_the_published_7_27_days():
    expected = _expected("rp_i131_instructions_walkthrough", Tp="8 d", Tb="80 d")
    assert round(expected["Te"].m_as("d"), 2) == 7.27  # reference sheet section 7
    assert math.isclose(expected["Te"].m_as("d"), 1 / (1 / 8 + 1 / 80), rel_tol=1e-9)


def test_the_written_instructions_threshold_is_rg_839s_7_mci():
    expected = _expected("rp_i131_instructions_walkthrough")
    threshold = 0.1 * 100 ** 2 / (34.6 * 2.2 * 8.04 * 0.25)  # RG 8.39 Eq. 2 at 0.1 rem, mCi
    assert math.isclose(expected["Q_instr"].m_as("mCi"), threshold, rel_tol=1e-9)
    # Published: 0.26 GBq (7 mCi). 7 mCi is rounded to one figure (± 0.5 mCi); 0.26 GBq is 7 mCi converted.
    assert abs(expected["Q_instr"].m_as("mCi") - 7) <= 0.5
    assert abs(expected["Q_instr"].m_as("GBq") - 0.26) <= 0.5 * 0.037
    for activity, needs_instructions in ((6, False), (7, True), (10, True)):
        dose = _expected("rp_i131_instructions_walkthrough", A_admin=f"{activity} mCi")["D_others"]
        by_hand = 34.6 * 2.2 * activity * 8.04 * 0.25 / 100 ** 2 * 10  # rem -> mSv
        assert math.isclose(dose.m_as("mSv"), by_hand, rel_tol=1e-9)
        assert (dose.m_as("mSv") > 1) is needs_instructions  # 10 CFR 35.75: > 1 mSv


def test_a_dose_rate_measured_at_2_m_is_compared_at_1_m():
    expected = _expected("rp_i131_dose_rate_walkthrough", rate_meas="1.5 mrem/h")
    assert math.isclose(expected["rate_1m"].m_as("mrem/h"), 1.5 * 2 ** 2, rel_tol=1e-9)  # 6 mrem/h at 1 m
    assert math.isclose(expected["frac_release"], 6 / 7, rel_tol=1e-9)  # RG 8.39: 7 mrem/h at 1 m
    assert math.isclose(expected["frac_instr"], 6 / 2, rel_tol=1e-9)  # RG 8.39: 2 mrem/h at 1 m


def test_y90_microsphere_constant_and_doses_by_hand():
    # ICRP-107: T½ 64.10 h, mean β energy 932.9 keV per decay (reference sheet §4). The complete decay of
    # 1 GBq: 1e9 /s × 64.10 × 3600 s / ln 2 decays × 932.9 keV × 1.602176634e-16 J/keV ≈ 49.76 J.
    decays_per_gbq = 1e9 * 64.10 * 3600 / LN2
    joules_per_gbq = decays_per_gbq * 932.9 * 1.602176634e-16
    assert abs(joules_per_gbq - 49.76) < 0.01
    scenario = course_walkthroughs()["tp_y90_liver_lung_walkthrough"]
    parameters = learner_parameters(scenario, "any learner")
    parameters.update(A_cal=Quantity(3, "GBq"), t=Quantity(48, "h"), LSF=0.08, M_liver=Quantity(1.5, "kg"))
    values = expected_values(scenario, parameters)
    decay = math.exp(-LN2 * 48 / 64.10)
    assert math.isclose(values["K"].m_as("J"), joules_per_gbq, rel_tol=1e-9)
    assert math.isclose(values["df"], decay, rel_tol=1e-9)
    assert math.isclose(values["A_tx"].m_as("GBq"), 3 * decay, rel_tol=1e-9)
    assert math.isclose(values["D_liver"].m_as("Gy"), joules_per_gbq * 3 * decay * 0.92 / 1.5, rel_tol=1e-9)
    assert math.isclose(values["D_lung"].m_as("Gy"), joules_per_gbq * 3 * decay * 0.08 / 1.0, rel_tol=1e-9)
    # every invented input says so, and the lung mass is not presented as a reference value
    for parameter in scenario.parameters:
        if parameter.ranged or parameter.name == "M_lung":
            assert parameter.citation.startswith(ILLUSTRATIVE), parameter.name
