"""Issue 16: RG 8.39 Appendix B Eq. B-5 (I-131 release with thyroid uptake), as the reference sheet
(rpt-facts.md section 3) writes it out: properties (hypothesis) and a hand-worked number."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings, strategies as st

from rpt_xblocks.dosimetry import physics
from rpt_xblocks.dosimetry.formula import FormulaError, evaluate, parsed
from rpt_xblocks.dosimetry.nuclides import rg839_constants
from rpt_xblocks.dosimetry.physics import rg839_dose_to_time, rg839_dose_total, rg839_dose_total_with_uptake
from rpt_xblocks.quantities import Quantity, parse_unit

settings.register_profile("rpt-b5", max_examples=100, deadline=None)
settings.load_profile("rpt-b5")

I131 = rg839_constants("I-131")
GAMMA, TP = I131.exposure_rate_constant, I131.half_life  # 2.2 R·cm²/(mCi·h), 8.04 d
METRE = Quantity(100, "cm")
MCI = st.floats(min_value=0.1, max_value=500, allow_nan=False)
TP_D = st.floats(min_value=0.5, max_value=60, allow_nan=False)
UNIT = st.floats(min_value=0, max_value=1, allow_nan=False)
R_CM = st.floats(min_value=10, max_value=1000, allow_nan=False)


def b5(q0=33.0, tp=8.04, r=100.0, f1=0.2, t1=0.32, f2=0.8, t2=5.2, e1=0.75, e2=0.25):
    return rg839_dose_total_with_uptake(Quantity(2.2, physics.GAMMA_UNIT), Quantity(q0, "mCi"), Quantity(tp, "d"),
                                        Quantity(r, "cm"), f1, Quantity(t1, "d"), f2, Quantity(t2, "d"), e1, e2)


def test_hyperthyroid_defaults_by_hand():
    """Γ 2.2, Q0 33 mCi, Tp 8.04 d, r 100 cm, hyperthyroidism F1 0.20 / T1eff 0.32 d, F2 0.80 / T2eff 5.2 d,
    E1 0.75, E2 0.25 (the sheet's defaults; no published B-5 answer is on the sheet, so by hand):
      34.6 · 2.2 · 33 / 100² = 0.251196 R/d;  e^(−0.693 · 0.33 / 8.04) = e^(−0.0284440) = 0.971957
      first 8 h: 0.75 · 8.04 · 0.8 · (1 − 0.971957) = 0.135280 d
      after:     0.971957 · 0.25 · (0.20 · 0.32 + 0.80 · 5.2) = 0.971957 · 0.25 · 4.224 = 1.026387 d
      D(∞) = 0.251196 · (0.135280 + 1.026387) = 0.291806 rem."""
    assert b5().m_as("rem") == pytest.approx(0.291806, rel=2e-5)
    model = physics.RG839_I131_HYPERTHYROID.dose_total(GAMMA, Quantity(33, "mCi"), TP)
    assert model.m_as("rem") == pytest.approx(0.291806, rel=2e-5)


def test_post_thyroidectomy_defaults_by_hand():
    """F1 0.95 / T1eff 0.32 d, F2 0.05 / T2eff 7.3 d, Q0 100 mCi, otherwise as above:
      34.6 · 2.2 · 100 / 100² = 0.7612;  0.95 · 0.32 + 0.05 · 7.3 = 0.304 + 0.365 = 0.669
      D = 0.7612 · (0.135280 + 0.971957 · 0.25 · 0.669) = 0.7612 · (0.135280 + 0.162560) = 0.226716 rem."""
    model = physics.RG839_I131_POST_THYROIDECTOMY.dose_total(GAMMA, Quantity(100, "mCi"), TP)
    assert model.m_as("rem") == pytest.approx(0.226716, rel=2e-5)


@given(MCI, TP_D, R_CM, UNIT)
def test_without_uptake_it_is_eq1_over_the_first_8_hours(q0, tp, r, e1):
    """F1 = F2 = 0: only the first period is left, 0.8 · E1 · Eq. 1 at t = 0.33 d."""
    eq1 = rg839_dose_to_time(GAMMA, Quantity(q0, "mCi"), Quantity(tp, "d"), Quantity(r, "cm"), Quantity(0.33, "d"))
    assert b5(q0, tp, r, 0, 0.1, 0, 0.1, e1).m_as("rem") == pytest.approx(0.8 * e1 * eq1.m_as("rem"), rel=1e-12, abs=1e-300)


@given(MCI, TP_D, R_CM, UNIT)
def test_all_activity_decaying_physically_is_eq2_but_for_the_excreted_fifth(q0, tp, r, e):
    """F1 + F2 = 1, both at Tp, E1 = E2 = E: D = Eq. 2 · (0.8 · (1 − x) + x), x = e^(−0.693 · 0.33 / Tp)."""
    x = math.exp(-0.693 * 0.33 / tp)
    eq2 = rg839_dose_total(GAMMA, Quantity(q0, "mCi"), Quantity(tp, "d"), Quantity(r, "cm"), e).m_as("rem")
    assert b5(q0, tp, r, 0.3, tp, 0.7, tp, e, e).m_as("rem") == pytest.approx(eq2 * (0.8 * (1 - x) + x), rel=1e-12, abs=1e-300)


@given(MCI, MCI, UNIT, UNIT)
def test_monotone_in_activity_and_proportional_to_it(q_a, q_b, f1, f2):
    f2 = min(f2, 1 - f1)
    low, high = sorted((q_a, q_b))
    d_low, d_high = b5(low, f1=f1, f2=f2).m_as("rem"), b5(high, f1=f1, f2=f2).m_as("rem")
    assert d_low <= d_high
    assert d_high * low == pytest.approx(d_low * high, rel=1e-12)


@given(UNIT, UNIT, UNIT)
def test_more_uptake_or_longer_retention_never_lowers_the_dose(f1, f2, extra):
    f2 = min(f2, 1 - f1)
    base = b5(f1=f1, f2=f2).m_as("rem")
    assert b5(f1=f1, f2=min(1 - f1, f2 + extra)).m_as("rem") >= base
    assert b5(f1=f1, f2=f2, t2=5.2 + extra).m_as("rem") >= base
    assert b5(f1=f1, f2=f2, r=100 + 100 * extra).m_as("rem") <= base  # farther away, less


@given(MCI, TP_D)
def test_the_same_in_any_units(q0, tp):
    """Γ in R·m²/(Ci·h), Q0 in MBq, times in hours, r in m give the same dose: no factor 24 from days."""
    t2 = min(5.2, tp)
    in_days = b5(q0, tp, t2=t2)
    other = rg839_dose_total_with_uptake(Quantity(0.22, "R*m**2/(Ci*h)"), Quantity(q0 * 37, "MBq"),
                                         Quantity(tp * 24, "h"), Quantity(1, "m"), 0.2, Quantity(0.32 * 24, "h"),
                                         0.8, Quantity(t2 * 24, "h"))
    assert other.m_as("rem") == pytest.approx(in_days.m_as("rem"), rel=1e-12)
    assert other.units == Quantity(1, "rem").units


@pytest.mark.parametrize("kwargs,words", [
    ({"f1": 0.6, "f2": 0.6}, "more than the whole activity"),
    ({"f1": -0.1}, "f1 must be a number from 0 to 1"),
    ({"t2": 9.0}, "longer than the physical half-life"),
    ({"t1": 0.0}, "t1_eff must be greater than zero"),
    ({"e2": 1.5}, "later_occupancy must be a number from 0 to 1"),
])
def test_bad_arguments_are_named(kwargs, words):
    with pytest.raises(ValueError, match=words):
        b5(**kwargs)


VALUES = {"Gamma": GAMMA, "Q0": Quantity(33, "mCi"), "Tp": TP, "r": METRE, "F1": 0.2, "T1": Quantity(0.32, "d"),
          "F2": 0.8, "T2": Quantity(5.2, "d")}


def test_usable_in_formulas_with_named_arguments():
    text = ("rg839_dose_total_with_uptake(Gamma, Q0, Tp, r, f1=F1, t1_eff=T1, f2=F2, t2_eff=T2, "
            "first_occupancy=0.75, later_occupancy=0.25)")
    assert evaluate(parsed(text), VALUES).m_as(parse_unit("mrem")) == pytest.approx(291.806, rel=2e-5)
    with pytest.raises(FormulaError, match="rg839_dose_total_with_uptake: f1 \\+ f2"):
        evaluate(parsed("rg839_dose_total_with_uptake(Gamma, Q0, Tp, r, 0.9, T1, 0.9, T2)"), VALUES)
