"""Dosimetry arithmetic: decay, effective half-life, time-integrated activity (TIA), MIRD absorbed
dose, NRC RG 8.39 patient release, inverse square, and Xofigo weight-based dosing.

Contract:
- Physical arguments are `rpt_xblocks.quantities.Quantity` values (the project's registry) in any
  unit of the dimension each docstring names; results are Quantities in the unit each docstring
  names. Pure numbers (decay factors, occupancy factors, fractions) are plain real numbers.
- A bad argument raises `ValueError` naming the argument: a plain number where a quantity is needed,
  a unit of the wrong dimension, a non-finite value, a negative activity, a zero or negative
  half-life or distance, a fraction outside its range.
- Figures come from the reference sheet (rpt-facts.md), cited by section beside each one.
"""
from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass
from typing import Iterable, Sequence

import pint

from rpt_xblocks.quantities import Quantity, describe_dimension

LN2 = math.log(2)
_REGISTRY = Quantity(1, "s")._REGISTRY
_SIGNS = ("any", "non-negative", "positive")


def checked(value: object, unit: str, name: str, sign: str = "any", kind: str | None = None) -> pint.Quantity:
    """`value` unchanged if it is a Quantity of this project's registry holding one finite real number
    with the dimension of `unit`, and (sign) non-negative or positive; else ValueError naming `name`
    and what it must be (`kind`, by default the words for `unit`'s dimension: "a time")."""
    assert sign in _SIGNS, sign
    kind = kind or describe_dimension(Quantity(1, unit))
    if not isinstance(value, pint.Quantity) or value._REGISTRY is not _REGISTRY:
        raise ValueError(f"{name} must be {kind} given as rpt_xblocks.quantities.Quantity "
                         f"(for example Quantity(1, {unit!r})), not {value!r}.")
    magnitude = value.magnitude
    if isinstance(magnitude, bool) or not isinstance(magnitude, numbers.Real):
        raise ValueError(f"{name} must hold a single real number, not {magnitude!r}.")
    if value.dimensionality != _dimensionality(unit):
        raise ValueError(f"{name} must be {kind} (in {unit} or another unit of that kind), "
                         f"but {value:~P} is {describe_dimension(value)}.")
    if not math.isfinite(magnitude):
        raise ValueError(f"{name} must be a finite number, not {value:~P}.")
    if sign == "positive" and magnitude <= 0:
        raise ValueError(f"{name} must be greater than zero, not {value:~P}.")
    if sign == "non-negative" and magnitude < 0:
        raise ValueError(f"{name} cannot be negative: {value:~P}.")
    return value


@functools.lru_cache(maxsize=None)
def _dimensionality(unit: str):
    return Quantity(1, unit).dimensionality


def checked_number(value: object, name: str, low: float, high: float = math.inf,
                   low_included: bool = True) -> float:
    """`value` as a float if it is a finite real number (or dimensionless Quantity) from `low` to `high`."""
    if isinstance(value, pint.Quantity) and value._REGISTRY is _REGISTRY and value.dimensionless:
        value = value.to("").magnitude
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite pure number, not {value!r}.")
    if value < low or (value == low and not low_included) or value > high:
        bounds = f"{'from' if low_included else 'greater than'} {low:g}" + (f" to {high:g}" if high < math.inf else "")
        raise ValueError(f"{name} must be a number {bounds}, not {value!r}.")
    return float(value)


# --- decay and half-lives (sheet section 6) ----------------------------------------------------

def decay_constant(half_life: pint.Quantity) -> pint.Quantity:
    """λ = ln 2 / T½, per unit of `half_life`'s time unit (T½ in d gives λ in /d)."""
    return LN2 / checked(half_life, "d", "half_life", "positive")


def half_life_from_decay_constant(decay_constant: pint.Quantity) -> pint.Quantity:
    """T½ = ln 2 / λ; λ in any unit of 1/time (/h gives T½ in h)."""
    return LN2 / checked(decay_constant, "1/h", "decay_constant", "positive")


def decay_factor(half_life: pint.Quantity, elapsed: pint.Quantity) -> float:
    """e^(−ln 2 · elapsed / T½), a pure number: below 1 forward in time, above 1 for a negative
    `elapsed` (back-correction to an earlier time). Both arguments are times."""
    half_lives = (checked(elapsed, "h", "elapsed") / checked(half_life, "d", "half_life", "positive")).m_as("")
    if -half_lives * LN2 > 700:
        raise ValueError(f"Decay back-correction over {-half_lives:g} half-lives overflows: check the times.")
    return math.exp(-LN2 * half_lives)


def activity_at(a0: pint.Quantity, half_life: pint.Quantity, elapsed: pint.Quantity) -> pint.Quantity:
    """A = A0 · e^(−ln 2 · elapsed / T½), in A0's unit. `a0` is an activity (≥ 0) at the reference
    time; `elapsed` is a time, negative for the activity before the reference time."""
    return checked(a0, "MBq", "a0", "non-negative") * decay_factor(half_life, elapsed)


def effective_half_life(physical: pint.Quantity, biological: pint.Quantity) -> pint.Quantity:
    """Te from 1/Te = 1/Tp + 1/Tb (both times > 0), in the physical half-life's unit."""
    physical = checked(physical, "d", "physical", "positive")
    biological = checked(biological, "d", "biological", "positive")
    return (physical * biological / (physical + biological)).to(physical.units)


# --- atoms and mass behind an activity ---------------------------------------------------------
# N_A is exact in the SI since 2019 (SI Brochure, 9th edition, 2019); it is not on the reference sheet.
AVOGADRO_CITATION = "SI Brochure, 9th edition (BIPM, 2019): the Avogadro constant is exact"
AVOGADRO = Quantity(6.02214076e23, "1/mol")


def atoms_from_activity(activity: pint.Quantity, half_life: pint.Quantity) -> float:
    """N = A / λ = A · T½ / ln 2, the number of radioactive atoms (a pure number) behind an activity
    ≥ 0 (1 Bq is one decay per second) of a nuclide with half-life T½ > 0. Its mass is
    N / N_A · M for a molar mass M (g/mol): in a formula, atoms_from_activity(A, T_half) / avogadro * M."""
    becquerel = checked(activity, "Bq", "activity", "non-negative").m_as("Bq")
    return becquerel * checked(half_life, "s", "half_life", "positive").m_as("s") / LN2


def activity_from_atoms(atoms: float, half_life: pint.Quantity) -> pint.Quantity:
    """A = λ · N = N · ln 2 / T½, in Bq, for N ≥ 0 atoms (a pure number) of half-life T½ > 0."""
    number = checked_number(atoms, "atoms", 0)
    return Quantity(number * LN2 / checked(half_life, "s", "half_life", "positive").m_as("s"), "Bq")


# --- time-integrated activity (sheet section 6; MIRD Pamphlet 21) ------------------------------

def tia_monoexponential(a0: pint.Quantity, effective_half_life: pint.Quantity,
                        uptake_fraction: float = 1.0) -> pint.Quantity:
    """Ã = f · A0 · Te / ln 2 (= 1.443 · f · A0 · Te), in MBq·h. A0 an activity ≥ 0, Te a time > 0,
    f the fraction of A0 taken up by the source region, 0 to 1."""
    fraction = checked_number(uptake_fraction, "uptake_fraction", 0, 1)
    a0 = checked(a0, "MBq", "a0", "non-negative")
    te = checked(effective_half_life, "h", "effective_half_life", "positive")
    return (fraction * a0 * te / LN2).to("MBq*h")


def tia_biexponential(a0: pint.Quantity, components: Iterable[tuple[float, pint.Quantity]]) -> pint.Quantity:
    """Ã = Σ fi · A0 · Ti / ln 2 over components (fi, Ti), in MBq·h: A(t) = A0 · Σ fi · e^(−ln 2 · t / Ti).
    Each fi is a fraction of A0 from 0 to 1 and their sum is at most 1 (an uptake phase written with
    a negative coefficient is not accepted); each Ti is an effective half-life > 0."""
    components = list(components)
    if not components:
        raise ValueError("components must hold at least one (fraction, effective half-life) pair.")
    fractions = [checked_number(f, f"fraction of component {i + 1}", 0, 1) for i, (f, _) in enumerate(components)]
    if sum(fractions) > 1 + 1e-9:
        raise ValueError(f"The component fractions add up to {sum(fractions):g}, more than the whole activity (1).")
    return sum((tia_monoexponential(a0, t, f) for f, (_, t) in zip(fractions, components)), Quantity(0, "MBq*h"))


def tia_from_points(times: Sequence[pint.Quantity], activities: Sequence[pint.Quantity],
                    physical_half_life: pint.Quantity) -> pint.Quantity:
    """Ã from measured activities A(ti) (e.g. Lu-177 SPECT/CT at several times after injection), in MBq·h:
      [0, t1]      the first measurement extrapolated back flat: A1 · t1;
      [t1, tn]     trapezoids between consecutive points;
      [tn, ∞)      physical decay only after the last point: An · Tp / ln 2.
    Why flat before t1: the first scan comes hours after injection; in a region that took up its
    activity quickly, a line from (0, 0) would drop activity that was there. Flat is the larger of the
    two usual choices, so it errs towards a higher dose to organs at risk (it over-estimates a region
    still taking up activity at t1, e.g. some tumours). The physical-decay tail ignores later
    biological clearance, erring the same way. Times (≥ 0, strictly increasing) are measured from
    administration; activities are ≥ 0; Tp > 0."""
    times, activities = list(times), list(activities)
    if not times or len(times) != len(activities):
        raise ValueError(f"times and activities must be non-empty and of equal length, not {len(times)} "
                         f"and {len(activities)}.")
    hours = [checked(t, "h", f"times[{i}]", "non-negative").m_as("h") for i, t in enumerate(times)]
    mbq = [checked(a, "MBq", f"activities[{i}]", "non-negative").m_as("MBq") for i, a in enumerate(activities)]
    if any(later <= earlier for earlier, later in zip(hours, hours[1:])):
        raise ValueError(f"times must increase strictly, not {[f'{t:~P}' for t in times]}.")
    tail = mbq[-1] * checked(physical_half_life, "h", "physical_half_life", "positive").m_as("h") / LN2
    trapezoids = sum((t2 - t1) * (a1 + a2) / 2 for t1, t2, a1, a2 in zip(hours, hours[1:], mbq, mbq[1:]))
    return Quantity(mbq[0] * hours[0] + trapezoids + tail, "MBq*h")


# --- MIRD absorbed dose (sheet section 6: D(rT) = Σ_S Ã(rS) · S(rT ← rS)) -----------------------

def absorbed_dose(tia: pint.Quantity, s_value: pint.Quantity) -> pint.Quantity:
    """D = Ã · S in Gy; Ã a time-integrated activity (e.g. MBq·h) ≥ 0, S an absorbed dose per unit
    time-integrated activity ≥ 0 (e.g. Gy/(MBq·s) or mGy/(MBq·h); not Gy/GBq, a dose per activity)."""
    tia = checked(tia, "MBq*h", "tia", "non-negative")
    return (tia * checked(s_value, "Gy/(MBq*h)", "s_value", "non-negative")).to("Gy")


def absorbed_dose_from_sources(sources: Iterable[tuple[pint.Quantity, pint.Quantity]]) -> pint.Quantity:
    """Σ over source regions of Ã(rS) · S(rT ← rS), in Gy, for (tia, s_value) pairs as in `absorbed_dose`."""
    doses = [absorbed_dose(tia, s) for tia, s in sources]
    if not doses:
        raise ValueError("sources must hold at least one (time-integrated activity, S value) pair.")
    return sum(doses, Quantity(0, "Gy"))


# --- dose rate with distance --------------------------------------------------------------------

_RATE_UNITS = ("mR/h", "mrem/h", "mGy/h")


def dose_rate_at(rate_at_r1: pint.Quantity, r1: pint.Quantity, r2: pint.Quantity) -> pint.Quantity:
    """Inverse square for a point source: rate(r2) = rate(r1) · (r1 / r2)², in `rate_at_r1`'s unit.
    The rate is an exposure, dose-equivalent or absorbed-dose rate ≥ 0; r1, r2 lengths > 0."""
    dimensionality = getattr(rate_at_r1, "dimensionality", None)
    unit = next((u for u in _RATE_UNITS if _dimensionality(u) == dimensionality), _RATE_UNITS[0])
    rate = checked(rate_at_r1, unit, "rate_at_r1", "non-negative",
                   kind="an exposure, dose-equivalent or absorbed-dose rate (mR/h, mrem/h or mGy/h)")
    ratio = (checked(r1, "cm", "r1", "positive") / checked(r2, "cm", "r2", "positive")).m_as("")
    return rate * ratio ** 2


# --- NRC RG 8.39 Rev. 1 patient release (sheet section 3) ----------------------------------------
# The guide's own rounded constants, so that its published answers are reproduced: 34.6 = 24 h/d × 1.44
# and 0.693 for ln 2. Its D is an exposure in R, which the guide takes as a dose equivalent in rem for
# these photons (1 R ≈ 1 rem): these functions return rem on that stated basis.
RG839_CITATION = "NRC Regulatory Guide 8.39 Rev. 1 (2020)"
RG839_FACTOR = 34.6
RG839_LN2 = 0.693
RG839_DOSE_LIMIT = Quantity(0.5, "rem")  # 10 CFR 35.75 (sheet section 2)
RG839_DEFAULT_DISTANCE = Quantity(100, "cm")
GAMMA_UNIT = "R*cm**2/(mCi*h)"


def rg839_default_occupancy(tp: pint.Quantity) -> float:
    """The guide's occupancy factor E at 1 m: 0.25 when Tp > 1 d, 1.0 when Tp ≤ 1 d (Tp a time > 0)."""
    return 0.25 if checked(tp, "d", "tp", "positive").m_as("d") > 1 else 1.0


def _in(value, unit: str, name: str, sign: str) -> float:
    return checked(value, unit, name, sign).m_as(unit)


def _rg839_full_decay_dose_rem(gamma, q0, tp, r) -> float:
    """34.6 · Γ · Q0 · Tp / r² with Γ in R·cm²/(mCi·h), Q0 in mCi, Tp in d, r in cm: rem (as R)."""
    return (RG839_FACTOR * _in(gamma, GAMMA_UNIT, "gamma", "non-negative") * _in(q0, "mCi", "q0", "non-negative")
            * _in(tp, "d", "tp", "positive") / _in(r, "cm", "r", "positive") ** 2)


def rg839_dose_to_time(gamma: pint.Quantity, q0: pint.Quantity, tp: pint.Quantity, r: pint.Quantity,
                       t: pint.Quantity) -> pint.Quantity:
    """RG 8.39 Eq. 1, D(t) = 34.6 · Γ · Q0 · Tp · (1 − e^(−0.693 t / Tp)) / r², in rem: the dose to a
    person at r from the patient over time t ≥ 0 after release (Γ in R·cm²/(mCi·h), Q0 an activity,
    Tp the physical half-life, r a length; any units of those kinds)."""
    full_decay = _rg839_full_decay_dose_rem(gamma, q0, tp, r)
    elapsed_fraction = _in(t, "d", "t", "non-negative") / tp.m_as("d")
    return Quantity(full_decay * (1 - math.exp(-RG839_LN2 * elapsed_fraction)), "rem")


def rg839_dose_total(gamma: pint.Quantity, q0: pint.Quantity, tp: pint.Quantity, r: pint.Quantity,
                     occupancy: float) -> pint.Quantity:
    """RG 8.39 Eq. 2, D(∞) = 34.6 · Γ · Q0 · Tp · E / r², in rem (arguments as in Eq. 1; E, the
    occupancy factor, from 0 to 1; `rg839_default_occupancy` gives the guide's default at 1 m)."""
    occupancy = checked_number(occupancy, "occupancy", 0, 1)
    return Quantity(_rg839_full_decay_dose_rem(gamma, q0, tp, r) * occupancy, "rem")


def rg839_release_activity(gamma: pint.Quantity, tp: pint.Quantity,
                           dose_limit: pint.Quantity = RG839_DOSE_LIMIT, r: pint.Quantity = RG839_DEFAULT_DISTANCE,
                           occupancy: float | None = None) -> pint.Quantity:
    """The activity Q0 at which Eq. 2 reaches `dose_limit` (a dose equivalent > 0, default 0.5 rem),
    in mCi: Q0 = limit · r² / (34.6 · Γ · Tp · E). Γ must be > 0. Without `occupancy`, the default
    rule applies, which the guide states for r = 1 m only: another r then needs an explicit E."""
    gamma_value = _in(gamma, GAMMA_UNIT, "gamma", "positive")
    tp_days, r_cm = _in(tp, "d", "tp", "positive"), _in(r, "cm", "r", "positive")
    if occupancy is None:
        if not math.isclose(r_cm, 100, rel_tol=1e-12):
            raise ValueError(f"The default occupancy rule of RG 8.39 applies at 1 m, not {r:~P}: give occupancy.")
        occupancy = rg839_default_occupancy(tp)
    occupancy = checked_number(occupancy, "occupancy", 0, 1, low_included=False)
    limit_rem = checked(dose_limit, "rem", "dose_limit", "positive").m_as("rem")
    return Quantity(limit_rem * r_cm ** 2 / (RG839_FACTOR * gamma_value * tp_days * occupancy), "mCi")


def rg839_dose_rate_at(gamma: pint.Quantity, q0: pint.Quantity, r: pint.Quantity) -> pint.Quantity:
    """Dose rate at r from an unshielded point source, Γ · Q0 / r² in R/h, read as rem/h as the
    guide does (1 R ≈ 1 rem); returned in mrem/h. Γ in R·cm²/(mCi·h), Q0 an activity, r a length."""
    exposure_rate = (_in(gamma, GAMMA_UNIT, "gamma", "non-negative") * _in(q0, "mCi", "q0", "non-negative")
                     / _in(r, "cm", "r", "positive") ** 2)
    return Quantity(exposure_rate, "rem/h").to("mrem/h")


# Eq. B-5 (sheet section 3): 8 h (0.33 d) of physical decay only, 0.8 of the activity not yet excreted.
RG839_UPTAKE_FIRST_PERIOD = Quantity(0.33, "d")
RG839_UPTAKE_NOT_EXCRETED = 0.8


def rg839_dose_total_with_uptake(gamma: pint.Quantity, q0: pint.Quantity, tp: pint.Quantity, r: pint.Quantity,
                                 f1: float, t1_eff: pint.Quantity, f2: float, t2_eff: pint.Quantity,
                                 first_occupancy: float = 0.75, later_occupancy: float = 0.25) -> pint.Quantity:
    """RG 8.39 Appendix B Eq. B-5, I-131 with thyroid uptake: the total dose to a person at r, in rem,
      D(∞) = (34.6 · Γ · Q0 / r²) · [ E1 · Tp · 0.8 · (1 − e^(−0.693 · 0.33 / Tp))
                                      + e^(−0.693 · 0.33 / Tp) · E2 · (F1 · T1eff + F2 · T2eff) ]
    For the first 0.33 d only physical decay acts (occupancy E1, `first_occupancy`, default 0.75);
    after it, occupancy E2 (`later_occupancy`, default 0.25) and two components: extrathyroidal
    (F1, T1eff) and thyroidal (F2, T2eff), fractions of Q0 (each 0 to 1, together at most 1) with
    effective half-lives > 0 no longer than Tp. Γ in R·cm²/(mCi·h), Q0 an activity, Tp, T1eff, T2eff
    times, r a length, in any units of those kinds: the times are taken in days here, as the 34.6
    (which holds 24 h/d) requires, so no unit conversion can multiply the dose by 24."""
    prefactor = (RG839_FACTOR * _in(gamma, GAMMA_UNIT, "gamma", "non-negative") * _in(q0, "mCi", "q0", "non-negative")
                 / _in(r, "cm", "r", "positive") ** 2)
    tp_days = _in(tp, "d", "tp", "positive")
    fractions = checked_number(f1, "f1", 0, 1), checked_number(f2, "f2", 0, 1)
    if sum(fractions) > 1 + 1e-9:
        raise ValueError(f"f1 + f2 is {sum(fractions):g}, more than the whole activity (1).")
    half_lives = _in(t1_eff, "d", "t1_eff", "positive"), _in(t2_eff, "d", "t2_eff", "positive")
    for name, days in zip(("t1_eff", "t2_eff"), half_lives):
        if days > tp_days * (1 + 1e-9):
            raise ValueError(f"{name} ({days:g} d) is longer than the physical half-life tp ({tp_days:g} d): "
                             "an effective half-life cannot be.")
    e1 = checked_number(first_occupancy, "first_occupancy", 0, 1)
    e2 = checked_number(later_occupancy, "later_occupancy", 0, 1)
    remaining = math.exp(-RG839_LN2 * RG839_UPTAKE_FIRST_PERIOD.m_as("d") / tp_days)
    bracket = (e1 * tp_days * RG839_UPTAKE_NOT_EXCRETED * (1 - remaining)
               + remaining * e2 * (fractions[0] * half_lives[0] + fractions[1] * half_lives[1]))
    return Quantity(prefactor * bracket, "rem")


@dataclass(frozen=True)
class Rg839UptakeModel:
    """Parameters of RG 8.39 Appendix B Eq. B-5 (I-131 with thyroid uptake) as the sheet (section 3)
    gives them: occupancy E1 for the first `first_period`, then E2; components (Fi, Ti eff).
    `dose_total` computes Eq. B-5 with them (`rg839_dose_total_with_uptake`)."""
    name: str
    components: tuple[tuple[float, pint.Quantity], ...]
    first_occupancy: float = 0.75
    first_period: pint.Quantity = RG839_UPTAKE_FIRST_PERIOD
    later_occupancy: float = 0.25
    citation: str = "NRC Regulatory Guide 8.39 Rev. 1 (2020), Appendix B"

    def dose_total(self, gamma: pint.Quantity, q0: pint.Quantity, tp: pint.Quantity,
                   r: pint.Quantity = RG839_DEFAULT_DISTANCE) -> pint.Quantity:
        (f1, t1), (f2, t2) = self.components
        return rg839_dose_total_with_uptake(gamma, q0, tp, r, f1, t1, f2, t2, self.first_occupancy,
                                            self.later_occupancy)


RG839_I131_HYPERTHYROID = Rg839UptakeModel(
    "hyperthyroidism", ((0.20, Quantity(0.32, "d")), (0.80, Quantity(5.2, "d"))))
RG839_I131_POST_THYROIDECTOMY = Rg839UptakeModel(
    "thyroid cancer after thyroidectomy", ((0.95, Quantity(0.32, "d")), (0.05, Quantity(7.3, "d"))))


# --- Xofigo (Ra-223 dichloride) weight-based dosing (sheet section 5, US label) ------------------
XOFIGO_CITATION = "Xofigo (radium Ra 223 dichloride) US prescribing information"
XOFIGO_ACTIVITY_PER_KG = Quantity(55, "kBq/kg")
XOFIGO_REFERENCE_CONCENTRATION = Quantity(1100, "kBq/mL")


def xofigo_activity(body_weight: pint.Quantity) -> pint.Quantity:
    """55 kBq/kg × body weight (a mass > 0), in kBq."""
    return (XOFIGO_ACTIVITY_PER_KG * checked(body_weight, "kg", "body_weight", "positive")).to("kBq")


def xofigo_volume(body_weight: pint.Quantity, decay_factor: float) -> pint.Quantity:
    """Volume to administer, in mL: kg × 55 kBq/kg ÷ (decay factor × 1,100 kBq/mL). `decay_factor` is
    the label table's factor for the days from the reference date (> 0; above 1 on a day before
    that date, when the activity is higher)."""
    factor = checked_number(decay_factor, "decay_factor", 0, low_included=False)
    return (xofigo_activity(body_weight) / (factor * XOFIGO_REFERENCE_CONCENTRATION)).to("mL")
