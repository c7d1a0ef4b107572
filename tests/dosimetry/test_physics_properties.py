"""Property tests (hypothesis) of the physics core: identities that must hold for any valid input."""
from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings, strategies as st

from rpt_xblocks.dosimetry import physics
from rpt_xblocks.quantities import Quantity, parse_answer

ACTIVITY_MBQ = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)
HALF_LIFE_H = st.floats(min_value=0.1, max_value=1e4, allow_nan=False)
ELAPSED_H = st.floats(min_value=0, max_value=2e3, allow_nan=False)
FRACTION = st.floats(min_value=0.01, max_value=1, allow_nan=False)
settings.register_profile("rpt", max_examples=150, deadline=None)
settings.load_profile("rpt")


@given(ACTIVITY_MBQ, HALF_LIFE_H, ELAPSED_H)
def test_decay_then_back_decay_is_the_identity(a0, half_life, elapsed):
    assume(elapsed / half_life <= 1000)  # beyond ~1,010 half-lives back-correction is refused (overflow)
    forward = physics.activity_at(Quantity(a0, "MBq"), Quantity(half_life, "h"), Quantity(elapsed, "h"))
    back = physics.activity_at(forward, Quantity(half_life, "h"), Quantity(-elapsed, "h"))
    assert back.m_as("MBq") == pytest.approx(a0, rel=1e-9)


@given(ACTIVITY_MBQ, HALF_LIFE_H, ELAPSED_H, ELAPSED_H)
def test_decay_over_two_intervals_equals_decay_over_their_sum(a0, half_life, first, second):
    assume((first + second) / half_life <= 1000)
    a, t = Quantity(a0, "MBq"), Quantity(half_life, "h")
    two_steps = physics.activity_at(physics.activity_at(a, t, Quantity(first, "h")), t, Quantity(second, "h"))
    one_step = physics.activity_at(a, t, Quantity(first + second, "h"))
    assert two_steps.m_as("MBq") == pytest.approx(one_step.m_as("MBq"), rel=1e-9, abs=1e-300)


@given(ACTIVITY_MBQ, HALF_LIFE_H, HALF_LIFE_H, FRACTION)
def test_time_integrated_activity_grows_with_effective_half_life(a0, t1, t2, fraction):
    shorter, longer = sorted((t1, t2))
    tia = [physics.tia_monoexponential(Quantity(a0, "MBq"), Quantity(t, "h"), fraction).m_as("MBq*h")
           for t in (shorter, longer)]
    assert tia[0] <= tia[1]
    assert tia[1] == pytest.approx(fraction * a0 * longer / math.log(2), rel=1e-12)


@given(HALF_LIFE_H, HALF_LIFE_H)
def test_effective_half_life_is_shorter_than_both_and_symmetric(physical, biological):
    te = physics.effective_half_life(Quantity(physical, "h"), Quantity(biological, "h")).m_as("h")
    assert te <= min(physical, biological) * (1 + 1e-12)
    assert te == pytest.approx(physics.effective_half_life(Quantity(biological, "h"), Quantity(physical, "h")).m_as("h"))


@given(st.floats(min_value=1e-6, max_value=1e9, allow_nan=False),
       st.sampled_from([("GBq", "mCi"), ("MBq", "uCi"), ("Gy", "rad"), ("Sv", "rem"), ("mSv", "mrem"), ("d", "h")]))
def test_unit_conversions_round_trip(value, units):
    there = Quantity(value, units[0]).to(units[1])
    assert there.to(units[0]).magnitude == pytest.approx(value, rel=1e-12)
    # and what a learner types in the second unit reads back as the same quantity
    typed = parse_answer(f"{there.magnitude!r} {units[1]}")
    assert typed.to(units[0]).magnitude == pytest.approx(value, rel=1e-9)
