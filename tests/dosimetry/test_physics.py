"""rpt_xblocks.dosimetry.physics. The published answers of the reference sheet (rpt-facts.md,
section 7) are the first tests: each is checked to the tolerance its printed rounding implies (half
a unit of its last significant digit, stated beside each). Then the identities and error bounds
the functions must meet, and the arguments they must refuse."""
from __future__ import annotations

import math

import pytest

from rpt_xblocks.dosimetry import physics
from rpt_xblocks.dosimetry.nuclides import nuclide, rg839_constants
from rpt_xblocks.dosimetry.physics import (
    absorbed_dose, absorbed_dose_from_sources, activity_at, decay_constant, decay_factor, dose_rate_at,
    effective_half_life, half_life_from_decay_constant, rg839_default_occupancy, rg839_dose_rate_at,
    rg839_dose_to_time, rg839_dose_total, rg839_release_activity, tia_biexponential, tia_from_points,
    tia_monoexponential, xofigo_activity, xofigo_volume,
)
from rpt_xblocks.quantities import Quantity

ONE_METRE = Quantity(100, "cm")
I131, TC99M = rg839_constants("I-131"), rg839_constants("Tc-99m")


# --- section 7: published answers ----------------------------------------------------------------
def test_i131_default_release_activity_is_33_mci_or_1_2_gbq():
    # RG 8.39 Eq. 2 solved for Q0: 0.5 rem × (100 cm)² / (34.6 × 2.2 × 8.04 d × 0.25) = 32.68 mCi.
    activity = rg839_release_activity(I131.exposure_rate_constant, I131.half_life)
    assert activity.m_as("mCi") == pytest.approx(33, abs=0.5)  # "33 mCi": ±0.5 mCi
    assert activity.m_as("GBq") == pytest.approx(1.2, abs=0.05)  # "1.2 GBq": ±0.05 GBq
    assert rg839_default_occupancy(I131.half_life) == 0.25  # the sheet's E for this case


def test_i131_release_dose_rate_is_7_mrem_per_hour_at_1_m():
    # Γ·Q0/r² = 2.2 R·cm²/(mCi·h) × 32.68 mCi / (100 cm)² = 7.19 mR/h, read as mrem/h (RG 8.39: R ≈ rem).
    activity = rg839_release_activity(I131.exposure_rate_constant, I131.half_life)
    rate = rg839_dose_rate_at(I131.exposure_rate_constant, activity, ONE_METRE)
    assert rate.m_as("mrem/h") == pytest.approx(7, abs=0.5)  # "7 mrem/h": ±0.5 mrem/h
    assert rate.m_as("mSv/h") == pytest.approx(0.07, abs=0.005)  # "0.07 mSv/h": ±0.005 mSv/h


def test_tc99m_default_release_activity_is_760_mci_and_58_mrem_per_hour():
    # 0.5 rem × 100² / (34.6 × 0.756 × 0.251 d × 1.0) = 761.6 mCi. "760 mCi" has two significant
    # figures (its GBq twin "28 GBq" has two), so ±5 mCi; read as three it would be off by 1.6 mCi.
    activity = rg839_release_activity(TC99M.exposure_rate_constant, TC99M.half_life)
    assert rg839_default_occupancy(TC99M.half_life) == 1.0
    assert activity.m_as("mCi") == pytest.approx(760, abs=5)  # "760 mCi": ±5 mCi
    assert activity.m_as("GBq") == pytest.approx(28, abs=0.5)  # "28 GBq": ±0.5 GBq
    rate = rg839_dose_rate_at(TC99M.exposure_rate_constant, activity, ONE_METRE)
    assert rate.m_as("mrem/h") == pytest.approx(58, abs=0.5)  # "58 mrem/h": ±0.5 mrem/h (57.6)
    assert rate.m_as("mSv/h") == pytest.approx(0.58, abs=0.005)  # "0.58 mSv/h": ±0.005 mSv/h


def test_effective_half_life_of_8_and_80_days_is_7_27_days():
    te = effective_half_life(Quantity(8, "d"), Quantity(80, "d"))
    assert te.m_as("d") == pytest.approx(7.27, abs=0.005)  # "7.27 d": ±0.005 d (exactly 80/11)
    assert te.m_as("d") == pytest.approx(80 / 11, rel=1e-12)


def test_saha_problem_3_2_tc99m_back_calculation_is_238_1_mci():
    # 150 mCi at 10 a.m., λ = 0.1155 /h; at 6 a.m. (4 h earlier): 150 × e^(0.1155 × 4) = 238.09 mCi.
    half_life = half_life_from_decay_constant(Quantity(0.1155, "1/h"))
    earlier = activity_at(Quantity(150, "mCi"), half_life, Quantity(-4, "h"))
    assert earlier.m_as("mCi") == pytest.approx(238.1, abs=0.05)  # "238.1 mCi": ±0.05 mCi
    assert earlier.m_as("GBq") == pytest.approx(8.81, abs=0.005)  # "8.81 GBq": ±0.005 GBq
    assert earlier.units == Quantity(1, "mCi").units


# --- decay -----------------------------------------------------------------------------------------
def test_one_half_life_halves_and_decay_constant_is_ln2_over_half_life():
    lu177 = nuclide("Lu-177").half_life
    assert decay_factor(lu177, lu177) == pytest.approx(0.5, rel=1e-15)
    assert decay_factor(lu177, Quantity(-2 * 6.647 * 24, "h")) == pytest.approx(4, rel=1e-12)
    assert decay_constant(Quantity(6, "h")).m_as("1/h") == pytest.approx(math.log(2) / 6, rel=1e-15)
    assert half_life_from_decay_constant(decay_constant(lu177)).m_as("d") == pytest.approx(6.647, rel=1e-15)


@pytest.mark.parametrize("elapsed", [Quantity(1, "h"), Quantity(3.5, "d"), Quantity(60, "d"), Quantity(-10, "d")])
def test_decay_forward_then_back_returns_a0(elapsed):
    a0, half_life = Quantity(7.4, "GBq"), nuclide("Lu-177").half_life
    there = activity_at(a0, half_life, elapsed)
    assert there != a0
    assert activity_at(there, half_life, -elapsed).m_as("GBq") == pytest.approx(7.4, rel=1e-12)


# --- time-integrated activity ----------------------------------------------------------------------
def test_monoexponential_tia_is_f_a0_te_over_ln2():
    tia = tia_monoexponential(Quantity(7.4, "GBq"), Quantity(50, "h"), uptake_fraction=0.04)
    assert tia.m_as("MBq*h") == pytest.approx(0.04 * 7400 * 50 / math.log(2), rel=1e-12)
    assert tia.m_as("MBq*h") == pytest.approx(1.443 * 0.04 * 7400 * 50, rel=1e-3)  # the sheet's 1.443


def test_monoexponential_equals_biexponential_with_one_component():
    a0, te = Quantity(200, "mCi"), Quantity(2.5, "d")
    assert tia_biexponential(a0, [(1.0, te)]).m_as("MBq*h") == pytest.approx(
        tia_monoexponential(a0, te).m_as("MBq*h"), rel=1e-12)
    assert tia_biexponential(a0, [(0.3, te)]).m_as("MBq*h") == pytest.approx(
        tia_monoexponential(a0, te, 0.3).m_as("MBq*h"), rel=1e-12)


def test_biexponential_is_the_sum_of_its_components():
    a0 = Quantity(3.7, "GBq")
    parts = [(0.2, Quantity(0.32, "d")), (0.8, Quantity(5.2, "d"))]
    expected = sum(tia_monoexponential(a0, t, f).m_as("MBq*h") for f, t in parts)
    assert tia_biexponential(a0, parts).m_as("MBq*h") == pytest.approx(expected, rel=1e-12)


def test_biexponential_refuses_fractions_beyond_the_whole_and_no_components():
    with pytest.raises(ValueError, match="add up to 1.1"):
        tia_biexponential(Quantity(1, "GBq"), [(0.6, Quantity(1, "d")), (0.5, Quantity(2, "d"))])
    with pytest.raises(ValueError, match="at least one"):
        tia_biexponential(Quantity(1, "GBq"), [])
    with pytest.raises(ValueError, match="from 0 to 1"):
        tia_biexponential(Quantity(1, "GBq"), [(-0.2, Quantity(1, "d"))])


def test_points_convention_flat_before_the_first_point_and_physical_decay_after_the_last():
    tp = nuclide("Lu-177").half_life  # 159.528 h
    tail_hours = 159.528 / math.log(2)
    single = tia_from_points([Quantity(24, "h")], [Quantity(100, "MBq")], tp)
    assert single.m_as("MBq*h") == pytest.approx(100 * 24 + 100 * tail_hours, rel=1e-12)
    at_zero = tia_from_points([Quantity(0, "h")], [Quantity(100, "MBq")], tp)
    assert at_zero.m_as("MBq*h") == pytest.approx(100 * tail_hours, rel=1e-12)
    several = tia_from_points([Quantity(4, "h"), Quantity(1, "d"), Quantity(96, "h")],
                              [Quantity(100, "MBq"), Quantity(80, "MBq"), Quantity(0.04, "GBq")], tp)
    expected = 100 * 4 + (100 + 80) / 2 * 20 + (80 + 40) / 2 * 72 + 40 * tail_hours
    assert several.m_as("MBq*h") == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("intervals", [4, 16, 64, 256])
def test_points_from_an_exact_exponential_approach_the_integral_within_the_trapezoid_bound(intervals):
    # A(t) = A0·e^(−λt) decaying at the physical rate, sampled at n + 1 points on [0, T]: the tail
    # after T is then exact, and the whole error is the trapezoids'. On each interval of width h the
    # trapezoid over-estimates by the factor x·coth(x), x = λh/2, and x·coth(x) − 1 ≤ x²/3, so
    # 0 < error ≤ (λh)²/12 × ∫₀ᵀ A dt, which falls as 1/n².
    a0, tp_h, end_h = 7400.0, 159.528, 2 * 159.528
    lam, h = math.log(2) / tp_h, end_h / intervals
    times = [i * h for i in range(intervals + 1)]
    tia = tia_from_points([Quantity(t, "h") for t in times], [Quantity(a0 * math.exp(-lam * t), "MBq") for t in times],
                          Quantity(tp_h, "h")).m_as("MBq*h")
    integral_to_end = a0 * (1 - math.exp(-lam * end_h)) / lam
    error = tia - a0 / lam  # a0/λ = a0·Tp/ln 2, the exact TIA
    x = lam * h / 2
    assert 0 < error <= (lam * h) ** 2 / 12 * integral_to_end
    assert error == pytest.approx((x / math.tanh(x) - 1) * integral_to_end, rel=1e-6)


def test_points_refuse_bad_series():
    tp, mbq = Quantity(6.647, "d"), Quantity(10, "MBq")
    for times, activities, message in [
        ([], [], "non-empty"),
        ([Quantity(1, "h")], [mbq, mbq], "equal length"),
        ([Quantity(4, "h"), Quantity(4, "h")], [mbq, mbq], "increase strictly"),
        ([Quantity(24, "h"), Quantity(4, "h")], [mbq, mbq], "increase strictly"),
        ([Quantity(-1, "h")], [mbq], "cannot be negative"),
        ([Quantity(1, "h")], [Quantity(-10, "MBq")], "cannot be negative"),
        ([Quantity(1, "h")], [Quantity(10, "h")], r"activities\[0\] must be an activity"),
    ]:
        with pytest.raises(ValueError, match=message):
            tia_from_points(times, activities, tp)


# --- MIRD absorbed dose ----------------------------------------------------------------------------
def test_absorbed_dose_is_tia_times_s_in_any_units():
    per_second = absorbed_dose(Quantity(1, "MBq*h"), Quantity(1, "Gy/(MBq*s)"))
    assert per_second.m_as("Gy") == pytest.approx(3600, rel=1e-12)
    per_hour = absorbed_dose(Quantity(2e5, "MBq*h"), Quantity(1e-4, "mGy/(MBq*h)"))
    assert per_hour.m_as("mGy") == pytest.approx(20, rel=1e-12)


def test_absorbed_dose_sums_over_source_regions():
    sources = [(Quantity(1000, "MBq*h"), Quantity(2e-3, "mGy/(MBq*h)")),
               (Quantity(3000, "MBq*h"), Quantity(1e-3, "mGy/(MBq*h)"))]
    assert absorbed_dose_from_sources(sources).m_as("mGy") == pytest.approx(5, rel=1e-12)
    with pytest.raises(ValueError, match="at least one"):
        absorbed_dose_from_sources([])


def test_absorbed_dose_refuses_a_dose_per_activity_for_s():
    with pytest.raises(ValueError, match="s_value must be an absorbed dose per unit time-integrated activity"):
        absorbed_dose(Quantity(1000, "MBq*h"), Quantity(0.5, "Gy/GBq"))


# --- RG 8.39 ---------------------------------------------------------------------------------------
def test_eq2_is_the_literal_formula():
    dose = rg839_dose_total(Quantity(2.2, "R*cm**2/(mCi*h)"), Quantity(33, "mCi"), Quantity(8.04, "d"), ONE_METRE, 0.25)
    assert dose.m_as("rem") == pytest.approx(34.6 * 2.2 * 33 * 8.04 * 0.25 / 100 ** 2, rel=1e-12)  # 0.5049 rem


def test_eq1_rises_to_eq2_with_full_occupancy():
    args = (I131.exposure_rate_constant, Quantity(100, "mCi"), I131.half_life, ONE_METRE)
    total = rg839_dose_total(*args, occupancy=1.0).m_as("rem")
    assert rg839_dose_to_time(*args, Quantity(0, "d")).m_as("rem") == 0
    after_one_half_life = rg839_dose_to_time(*args, I131.half_life).m_as("rem")
    assert after_one_half_life == pytest.approx(total * (1 - math.exp(-0.693)), rel=1e-12)
    assert rg839_dose_to_time(*args, Quantity(1000, "d")).m_as("rem") == pytest.approx(total, rel=1e-12)


def test_release_activity_is_the_inverse_of_eq2_and_reads_the_limit_in_any_unit():
    gamma, tp = I131.exposure_rate_constant, I131.half_life
    activity = rg839_release_activity(gamma, tp, dose_limit=Quantity(5, "mSv"))
    assert rg839_dose_total(gamma, activity, tp, ONE_METRE, 0.25).m_as("rem") == pytest.approx(0.5, rel=1e-12)
    at_two_metres = rg839_release_activity(gamma, tp, r=Quantity(2, "m"), occupancy=0.25)
    assert at_two_metres.m_as("mCi") == pytest.approx(4 * activity.m_as("mCi"), rel=1e-12)


def test_default_occupancy_rule_and_where_it_applies():
    assert rg839_default_occupancy(Quantity(1, "d")) == 1.0  # Tp ≤ 1 d
    assert rg839_default_occupancy(Quantity(24.01, "h")) == 0.25  # Tp > 1 d
    with pytest.raises(ValueError, match="applies at 1 m"):
        rg839_release_activity(I131.exposure_rate_constant, I131.half_life, r=Quantity(2, "m"))


def test_rg839_refuses_wrong_units_and_ranges():
    gamma, tp = I131.exposure_rate_constant, I131.half_life
    with pytest.raises(ValueError, match="gamma must be"):
        rg839_dose_total(Quantity(2.2, "R/h"), Quantity(33, "mCi"), tp, ONE_METRE, 0.25)
    with pytest.raises(ValueError, match="occupancy must be a number from 0 to 1"):
        rg839_dose_total(gamma, Quantity(33, "mCi"), tp, ONE_METRE, 1.5)
    with pytest.raises(ValueError, match="dose_limit must be a dose equivalent"):
        rg839_release_activity(gamma, tp, dose_limit=Quantity(0.5, "Gy"))
    with pytest.raises(ValueError, match="gamma must be greater than zero"):
        rg839_release_activity(Quantity(0, "R*cm**2/(mCi*h)"), tp)


def test_b5_uptake_parameters_are_the_sheets():
    hyper, ablation = physics.RG839_I131_HYPERTHYROID, physics.RG839_I131_POST_THYROIDECTOMY
    assert [(f, t.m_as("d")) for f, t in hyper.components] == [(0.20, 0.32), (0.80, 5.2)]
    assert [(f, t.m_as("d")) for f, t in ablation.components] == [(0.95, 0.32), (0.05, 7.3)]
    assert (hyper.first_occupancy, hyper.first_period.m_as("d"), hyper.later_occupancy) == (0.75, 0.33, 0.25)


# --- inverse square, Xofigo --------------------------------------------------------------------------
def test_dose_rate_follows_the_inverse_square_in_the_given_unit():
    rate = Quantity(7, "mrem/h")
    assert dose_rate_at(rate, ONE_METRE, Quantity(2, "m")).m_as("mrem/h") == pytest.approx(1.75, rel=1e-12)
    assert dose_rate_at(Quantity(7, "mR/h"), ONE_METRE, Quantity(50, "cm")).m_as("mR/h") == pytest.approx(28, rel=1e-12)
    assert dose_rate_at(Quantity(1, "mGy/h"), Quantity(1, "m"), Quantity(1, "m")).units == Quantity(1, "mGy/h").units
    with pytest.raises(ValueError, match="rate_at_r1 must be an exposure, dose-equivalent or absorbed-dose rate"):
        dose_rate_at(Quantity(7, "MBq"), ONE_METRE, ONE_METRE)
    with pytest.raises(ValueError, match="r2 must be greater than zero"):
        dose_rate_at(rate, ONE_METRE, Quantity(0, "cm"))


def test_xofigo_70_kg_with_decay_factor_1_is_3_5_ml():
    # 70 kg × 55 kBq/kg = 3,850 kBq; ÷ (1.0 × 1,100 kBq/mL) = 3.5 mL.
    assert xofigo_activity(Quantity(70, "kg")).m_as("kBq") == pytest.approx(3850, rel=1e-12)
    assert xofigo_volume(Quantity(70, "kg"), 1.0).m_as("mL") == pytest.approx(3.5, rel=1e-12)
    assert xofigo_volume(Quantity(70000, "g"), 0.5).m_as("mL") == pytest.approx(7.0, rel=1e-12)


# The Xofigo US label's Table 1 (section 2), "Decay Correction Factor Table", days from the reference
# date -> factor. The table is corrected to 12 noon CST and includes the 7-hour difference from
# 12 noon CET at the site of manufacture (reference sheet section 5: T1/2 11.43 d plus 7 h).
XOFIGO_LABEL_DECAY_TABLE = {
    -14: 2.296, -13: 2.161, -12: 2.034, -11: 1.914, -10: 1.802, -9: 1.696, -8: 1.596, -7: 1.502,
    -6: 1.414, -5: 1.330, -4: 1.252, -3: 1.178, -2: 1.109, -1: 1.044, 0: 0.982, 1: 0.925, 2: 0.870,
    3: 0.819, 4: 0.771, 5: 0.725, 6: 0.683, 7: 0.643, 8: 0.605, 9: 0.569, 10: 0.536, 11: 0.504,
    12: 0.475, 13: 0.447, 14: 0.420}


@pytest.mark.parametrize("day, label", sorted(XOFIGO_LABEL_DECAY_TABLE.items()))
def test_decay_factor_with_the_7_hour_offset_reproduces_the_xofigo_label_table(day, label):
    elapsed = Quantity(day, "d") + Quantity(7, "h")
    assert round(decay_factor(Quantity(11.43, "d"), elapsed), 3) == pytest.approx(label, abs=1e-9)


def test_decay_factor_without_the_offset_is_not_the_xofigo_label_table():
    # Day 1 without the 7 h: 0.941, about 1.8% above the label's 0.925.
    assert round(decay_factor(Quantity(11.43, "d"), Quantity(1, "d")), 3) == 0.941 != XOFIGO_LABEL_DECAY_TABLE[1]


@pytest.mark.parametrize("factor", [0, -1, math.nan, math.inf, True])
def test_xofigo_refuses_a_decay_factor_that_is_not_a_positive_number(factor):
    with pytest.raises(ValueError, match="decay_factor must be"):
        xofigo_volume(Quantity(70, "kg"), factor)


# --- refusals ----------------------------------------------------------------------------------------
A0, T_HALF, ELAPSED = Quantity(100, "MBq"), Quantity(6, "h"), Quantity(2, "h")


@pytest.mark.parametrize("a0, half_life, elapsed, message", [
    (A0, Quantity(5, "MBq"), ELAPSED, "half_life must be a time .*but 5 MBq is an activity"),
    (Quantity(100, "h"), T_HALF, ELAPSED, "a0 must be an activity"),
    (A0, T_HALF, Quantity(2, "cm"), "elapsed must be a time"),
    (A0, 6.0, ELAPSED, "half_life must be a time given as rpt_xblocks.quantities.Quantity"),
    (Quantity(-1, "MBq"), T_HALF, ELAPSED, "a0 cannot be negative"),
    (A0, Quantity(0, "h"), ELAPSED, "half_life must be greater than zero"),
    (A0, Quantity(-6, "h"), ELAPSED, "half_life must be greater than zero"),
    (Quantity(math.nan, "MBq"), T_HALF, ELAPSED, "a0 must be a finite number"),
    (A0, T_HALF, Quantity(math.inf, "h"), "elapsed must be a finite number"),
    (A0, Quantity(math.nan, "h"), ELAPSED, "half_life must be a finite number"),
    (A0, Quantity(6 + 1j, "h"), ELAPSED, "single real number"),
    (A0, T_HALF, Quantity(-1e6, "h"), "overflows"),
])
def test_activity_at_refuses_bad_arguments(a0, half_life, elapsed, message):
    with pytest.raises(ValueError, match=message):
        activity_at(a0, half_life, elapsed)


def test_other_refusals():
    with pytest.raises(ValueError, match="biological must be greater than zero"):
        effective_half_life(Quantity(8, "d"), Quantity(0, "d"))
    with pytest.raises(ValueError, match="uptake_fraction must be a number from 0 to 1"):
        tia_monoexponential(A0, T_HALF, uptake_fraction=1.2)
    with pytest.raises(ValueError, match="decay_constant must be"):
        half_life_from_decay_constant(Quantity(0.1155, "h"))
    with pytest.raises(ValueError, match="body_weight must be a mass"):
        xofigo_volume(Quantity(70, "MBq"), 1.0)
