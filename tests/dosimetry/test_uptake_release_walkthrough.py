"""The patient-release walkthrough on RG 8.39 Appendix B Eq. B-5 (I-131 with thyroid uptake, thyroid
cancer after thyroidectomy): its reference answers against a hand computation of Eq. B-5 as the
reference sheet (rpt-facts.md section 3) writes it out, with plain floats and `math` only (not the
physics functions the walkthrough's formulas call)."""
from __future__ import annotations

import math

import pytest

from course_walkthroughs import course_walkthroughs
from course_walkthroughs import expected as _expected

WALKTHROUGH = "pr_i131_uptake_walkthrough"
GAMMA, TP, R = 2.2, 8.04, 100.0  # R·cm²/(mCi·h), d, cm: RG 8.39's constants for I-131
F1, T1, F2, T2 = 0.95, 0.32, 0.05, 7.3  # the sheet's defaults after thyroidectomy
E1, E2 = 0.75, 0.25


def b5_by_hand(q0_mci: float) -> tuple[float, float, float]:
    """(first-8-hours term, later term, fraction left at 0.33 d), the terms in rem (R taken as rem)."""
    prefactor = 34.6 * GAMMA * q0_mci / R ** 2  # 34.6 = 24 h/d × 1.44: the times stay plain days
    left = math.exp(-0.693 * 0.33 / TP)
    return prefactor * E1 * TP * 0.8 * (1 - left), prefactor * left * E2 * (F1 * T1 + F2 * T2), left


def test_the_walkthrough_uses_the_sheets_post_thyroidectomy_defaults():
    parameters = {p.name: p for p in course_walkthroughs()[WALKTHROUGH].parameters}
    fixed = {name: (parameters[name].value, parameters[name].unit) for name in
             ("Gamma", "Tp", "r", "t1", "E1", "E2", "F1", "T1eff", "F2", "T2eff", "D_release", "D_instr")}
    assert fixed == {"Gamma": (2.2, "R*cm^2/(mCi*h)"), "Tp": (8.04, "d"), "r": (100, "cm"), "t1": (0.33, "d"),
                     "E1": (0.75, ""), "E2": (0.25, ""), "F1": (0.95, ""), "T1eff": (0.32, "d"),
                     "F2": (0.05, ""), "T2eff": (7.3, "d"), "D_release": (0.5, "rem"), "D_instr": (0.1, "rem")}
    q0 = parameters["Q0"]
    assert q0.ranged and (q0.low, q0.high, q0.unit) == (30, 200, "mCi")  # the label's 1.1–7.4 GBq


@pytest.mark.parametrize("q0", [30, 100, 150, 200])
def test_reference_answers_match_eq_b5_by_hand(q0):
    first, later, left = b5_by_hand(q0)
    expected = _expected(WALKTHROUGH, Q0=f"{q0} mCi")
    assert math.isclose(expected["dose_eq2"].m_as("rem"), 34.6 * GAMMA * q0 * TP * E2 / R ** 2, rel_tol=1e-9)
    assert math.isclose(expected["x_first"], left, rel_tol=1e-12)
    assert math.isclose(expected["dose_first"].m_as("rem"), first, rel_tol=1e-6)
    assert math.isclose(expected["dose_later"].m_as("rem"), later, rel_tol=1e-6)
    assert math.isclose(expected["dose_b5"].m_as("rem"), first + later, rel_tol=1e-6)
    assert math.isclose(expected["frac_release"], (first + later) / 0.5, rel_tol=1e-6)
    assert math.isclose(expected["frac_instr"], (first + later) / 0.1, rel_tol=1e-6)


def test_100_mci_worked_through_on_paper():
    """100 mCi: 34.6 · 2.2 · 100 / 100² = 0.7612; e^(−0.693 · 0.33 / 8.04) = 0.971957;
    first 8 h: 0.7612 · 0.75 · 8.04 · 0.8 · 0.028043 = 0.102976 rem;
    later: 0.7612 · 0.971957 · 0.25 · (0.304 + 0.365) = 0.123740 rem; total 0.226716 rem
    (Eq. 2 would give 1.530 rem: not releasable by the default, releasable by Eq. B-5)."""
    expected = _expected(WALKTHROUGH, Q0="100 mCi")
    assert expected["dose_first"].m_as("rem") == pytest.approx(0.102976, rel=2e-5)
    assert expected["dose_later"].m_as("rem") == pytest.approx(0.123740, rel=2e-5)
    assert expected["dose_b5"].m_as("rem") == pytest.approx(0.226716, rel=2e-5)
    assert expected["dose_eq2"].m_as("rem") == pytest.approx(1.530012, rel=1e-6)


@pytest.mark.parametrize("q0,releasable,needs_instructions", [
    (30, True, False),   # 0.068 rem: under both thresholds (and under 33 mCi, releasable by default too)
    (50, True, True),    # 0.113 rem: releasable, instructions needed (above about 44 mCi)
    (200, True, True),   # 0.453 rem: still under 0.5 rem (the limit is about 220 mCi)
])
def test_the_release_decision_against_5_msv_and_1_msv(q0, releasable, needs_instructions):
    expected = _expected(WALKTHROUGH, Q0=f"{q0} mCi")
    assert (expected["frac_release"] <= 1) is releasable  # 10 CFR 35.75: 5 mSv (0.5 rem)
    assert (expected["frac_instr"] > 1) is needs_instructions  # 10 CFR 35.75(b): 1 mSv (0.1 rem)
    first, later, _ = b5_by_hand(q0)
    assert ((first + later) <= 0.5) is releasable and ((first + later) > 0.1) is needs_instructions


def test_a_double_counted_24_would_be_caught():
    """The hand computation is not the walkthrough's 24-times mistake: converting the days to hours
    as well as using 34.6 gives 24 times the dose, which the reference answer must not equal."""
    expected = _expected(WALKTHROUGH, Q0="100 mCi")["dose_b5"].m_as("rem")
    first, later, _ = b5_by_hand(100)
    assert not math.isclose(expected, 24 * (first + later), rel_tol=0.5)
