"""Issue 16: amount of substance, nanograms and Avogadro's constant, for the mass behind an activity."""
from __future__ import annotations

import math

import pytest

from rpt_xblocks.dosimetry import physics
from rpt_xblocks.dosimetry.formula import CONSTANTS, FormulaError, evaluate, parsed
from rpt_xblocks.dosimetry.nuclides import nuclide
from rpt_xblocks.dosimetry.scenario import expected_values, learner_parameters, scenario_errors, scenario_from_data
from rpt_xblocks.quantities import Quantity, check_numeric, describe_dimension, parse_unit


@pytest.mark.parametrize("text,grams", [("ng", 1e-9), ("µg", 1e-6), ("ug", 1e-6), ("mg", 1e-3)])
def test_nanogram_and_its_neighbours(text, grams):
    assert Quantity(1, parse_unit(text)).m_as(parse_unit("g")) == pytest.approx(grams, rel=1e-15)


@pytest.mark.parametrize("text,moles", [("mol", 1), ("mmol", 1e-3), ("µmol", 1e-6), ("umol", 1e-6), ("nmol", 1e-9)])
def test_amount_of_substance(text, moles):
    assert Quantity(1, parse_unit(text)).m_as(parse_unit("mol")) == pytest.approx(moles, rel=1e-15)
    assert describe_dimension(text) == "an amount of substance"


def test_molar_mass_has_words_and_per_mol_units_read():
    assert describe_dimension("g/mol") == "a molar mass"
    assert parse_unit("1/mol") == parse_unit("/mol") == parse_unit("mol^-1")


def test_avogadro_is_the_exact_si_value():
    assert CONSTANTS["avogadro"].m_as(parse_unit("/mol")) == 6.02214076e23
    assert evaluate(parsed("avogadro * q(1, \"nmol\")"), {}) == pytest.approx(6.02214076e14, rel=1e-15)


# Hand calculation, Lu-177 (T½ 6.647 d, ICRP 107 as nuclides.py holds it), 7.4 GBq (Lutathera/Pluvicto):
#   T½ = 6.647 d × 86 400 s/d = 574 300.8 s
#   N  = A · T½ / ln 2 = 7.4e9 /s × 574 300.8 s / 0.693 147 18 = 6.131 20e15 atoms
#   n  = N / N_A = 6.131 20e15 / 6.022 140 76e23 /mol = 1.018 11e-8 mol = 10.18 nmol
#   m  = n · M, M ≈ 177 g/mol (the mass number, a test input) = 1.802 06e-6 g = 1 802 ng
HAND_ATOMS = 7.4e9 * 574300.8 / 0.6931471805599453
HAND_MASS_NG = 1802.06


def lu177_values():
    return {"A0": Quantity(7.4, parse_unit("GBq")), "T_half": nuclide("Lu-177").half_life,
            "M": Quantity(177, parse_unit("g/mol"))}


def test_atoms_behind_7_4_gbq_of_lu177():
    atoms = evaluate(parsed("atoms_from_activity(A0, T_half)"), lu177_values())
    assert atoms == pytest.approx(HAND_ATOMS, rel=1e-12) and atoms == pytest.approx(6.13120e15, rel=1e-5)


def test_mass_of_7_4_gbq_of_lu177_from_its_half_life():
    mass = evaluate(parsed("atoms_from_activity(A0, T_half) / avogadro * M"), lu177_values())
    assert mass.m_as(parse_unit("ng")) == pytest.approx(HAND_MASS_NG, rel=1e-5)
    moles = evaluate(parsed("atoms_from_activity(A0, T_half) / avogadro"), lu177_values())
    assert moles.m_as(parse_unit("nmol")) == pytest.approx(10.1811, rel=1e-5)


def test_activity_from_atoms_inverts_atoms_from_activity():
    values = lu177_values()
    back = evaluate(parsed("activity_from_atoms(atoms_from_activity(A0, T_half), T_half)"), values)
    assert back.m_as(parse_unit("GBq")) == pytest.approx(7.4, rel=1e-12)
    # and from a mass: 1 802 ng of Lu-177 is 7.4 GBq
    again = evaluate(parsed("activity_from_atoms(q(1802.06, \"ng\") / M * avogadro, T_half)"), values)
    assert again.m_as(parse_unit("GBq")) == pytest.approx(7.4, rel=1e-5)


@pytest.mark.parametrize("text", ["atoms_from_activity(T_half, A0)", "atoms_from_activity(A0, q(0, \"d\"))",
                                  "activity_from_atoms(-1, T_half)", "activity_from_atoms(A0, T_half)",
                                  "avogadro + 1"])
def test_mistakes_with_atoms_are_formula_errors(text):
    with pytest.raises(FormulaError):
        evaluate(parsed(text), lu177_values())


def test_physics_checks_its_arguments():
    with pytest.raises(ValueError, match="activity"):
        physics.atoms_from_activity(Quantity(1, "h"), Quantity(1, "d"))
    assert physics.atoms_from_activity(Quantity(0, "Bq"), Quantity(1, "d")) == 0
    assert physics.activity_from_atoms(1 / math.log(2), Quantity(1, "s")).m_as("Bq") == pytest.approx(1)


MASS_WALKTHROUGH = {
    "title": "The mass of a Lu-177 dosage",
    "parameters": {"A0": {"value": 7.4, "unit": "GBq"},
                   "T_half": {"value": 6.647, "unit": "d", "citation": "ICRP Publication 107"},
                   "M": {"value": 177, "unit": "g/mol"}},
    "steps": [{"id": "lam", "prompt": "λ?", "formula": "ln2 / T_half", "unit": "1/s"},
              {"id": "atoms", "prompt": "N?", "formula": "atoms_from_activity(A0, T_half)", "unit": ""},
              {"id": "moles", "prompt": "n?", "formula": "atoms / avogadro", "unit": "nmol"},
              {"id": "mass", "prompt": "m?", "formula": "moles * M", "unit": "ng"}],
}


def test_a_walkthrough_computes_the_mass_in_nanograms():
    scenario = scenario_from_data(MASS_WALKTHROUGH)
    assert scenario_errors(scenario) == []
    values = expected_values(scenario, learner_parameters(scenario, "learner"))
    assert values["mass"].m_as(parse_unit("ng")) == pytest.approx(HAND_MASS_NG, rel=1e-5)
    assert check_numeric("1.80 µg", values["mass"].m_as(parse_unit("ng")), "ng", "1%").correct
    assert check_numeric("1.207e-6 1/s", values["lam"].m_as(parse_unit("1/s")), "1/s", "1%").correct
