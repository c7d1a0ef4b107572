"""rpt_xblocks.dosimetry.nuclides: the half-life table against the reference sheet (section 4, as
transcribed in fixtures/reference_sheet_half_lives.csv) and against the ICRP-107 data set that the
`radioactivedecay` package ships; the RG 8.39 constants (section 3); name look-up; pinned constants."""
from __future__ import annotations

import csv
import math
from decimal import Decimal
from pathlib import Path

import pytest
import radioactivedecay

from rpt_xblocks.dosimetry import nuclides
from rpt_xblocks.dosimetry.nuclides import (
    ICRP107, RG839, UnknownNuclideError, canonical_name, nuclide, pinned, rg839_constants,
)
from rpt_xblocks.quantities import Quantity

SHEET_ROWS = list(csv.DictReader((Path(__file__).parent / "fixtures" / "reference_sheet_half_lives.csv").open()))
SHEET_NAMES = [row["nuclide"] for row in SHEET_ROWS]


def test_the_table_holds_exactly_the_sheets_nuclides():
    assert sorted(ICRP107) == sorted(SHEET_NAMES)
    assert len(SHEET_NAMES) == 10


@pytest.mark.parametrize("row", SHEET_ROWS, ids=SHEET_NAMES)
def test_half_life_is_the_sheets_printed_value_with_its_citation(row):
    entry = ICRP107[row["nuclide"]]
    assert entry.nuclide == row["nuclide"]
    assert entry.citation == "ICRP Publication 107"
    assert entry.exposure_rate_constant is None
    assert entry.half_life.units == Quantity(1, row["unit"]).units
    assert entry.half_life.magnitude == float(row["half_life"])


@pytest.mark.parametrize("row", SHEET_ROWS, ids=SHEET_NAMES)
def test_half_life_equals_radioactivedecays_icrp107_value_to_the_printed_precision(row):
    # "64.10 h" is printed to 2 decimals: the package's value must round to it, i.e. lie within
    # half a unit of the last printed digit (0.005 h).
    printed = Decimal(row["half_life"])
    half_unit = 0.5 * 10.0 ** printed.as_tuple().exponent
    package_value = radioactivedecay.Nuclide(row["nuclide"]).half_life(row["unit"])
    ours = ICRP107[row["nuclide"]].half_life.m_as(row["unit"])
    assert abs(ours - package_value) <= half_unit * (1 + 1e-12), (ours, package_value)


def test_the_package_data_set_is_icrp107():
    assert radioactivedecay.DEFAULTDATA.dataset_name.startswith("icrp107")


# --- RG 8.39 / NUREG-1492 constants (sheet section 3) --------------------------------------------
RG839_SHEET = {"I-131": (2.2, 8.04), "Tc-99m": (0.756, 0.251), "Sm-153": (0.425, 1.946)}


@pytest.mark.parametrize("name", sorted(RG839_SHEET))
def test_rg839_constants_are_the_sheets_with_their_citation(name):
    gamma, tp_days = RG839_SHEET[name]
    entry = rg839_constants(name)
    assert entry.exposure_rate_constant.m_as("R*cm**2/(mCi*h)") == pytest.approx(gamma, rel=1e-12)
    assert entry.half_life.m_as("d") == pytest.approx(tp_days, rel=1e-12)
    assert "Regulatory Guide 8.39" in entry.citation and "NUREG-1492" in entry.citation


def test_only_the_sheets_confirmed_rg839_constants_are_present():
    assert sorted(RG839) == sorted(RG839_SHEET)
    for unconfirmed in ("Lu-177", "Y-90", "Ra-223", "Ac-225", "Pb-212", "Tb-161"):
        with pytest.raises(UnknownNuclideError, match="UNCONFIRMED"):
            rg839_constants(unconfirmed)


def test_rg839_and_icrp107_half_lives_stay_distinct_for_i131():
    assert rg839_constants("I-131").half_life.m_as("d") == 8.04
    assert nuclide("I-131").half_life.m_as("d") == 8.0207


# --- names ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["Lu-177", "Lu177", "177Lu", "lu-177", "LU177", " 177-Lu ", "Lu 177"])
def test_lutetium_spellings(spelling):
    assert canonical_name(spelling) == "Lu-177"
    assert nuclide(spelling) is ICRP107["Lu-177"]


@pytest.mark.parametrize("spelling", ["Tc-99m", "Tc99m", "99mTc", "tc-99m", "99m-Tc", "Tc-99M"])
def test_technetium_spellings(spelling):
    assert nuclide(spelling) is ICRP107["Tc-99m"]


def test_tc99_without_m_is_not_tc99m():
    with pytest.raises(UnknownNuclideError, match="Tc-99 is not in"):
        nuclide("Tc-99")


def test_unknown_nuclide_names_itself_and_the_table():
    with pytest.raises(UnknownNuclideError) as raised:
        nuclide("Lu-178")
    message = str(raised.value)
    assert "Lu-178" in message and "Lu-177" in message and "pinned" in message


@pytest.mark.parametrize("text", ["", "Lutetium", "177", "Lu-", "Lu-177-PSMA", "L-u177", None, 177])
def test_malformed_names_are_refused_with_how_to_write_them(text):
    with pytest.raises(UnknownNuclideError, match="write it like Lu-177"):
        nuclide(text)


# --- pinned constants ----------------------------------------------------------------------------
def test_pinned_constants_keep_their_values_and_citation():
    constants = pinned(half_life=Quantity(8.04, "d"), citation="NRC RG 8.39 Rev. 1", nuclide="131I")
    assert constants.half_life == Quantity(8.04, "d")
    assert constants.citation == "NRC RG 8.39 Rev. 1"
    assert constants.nuclide == "I-131"
    assert constants.exposure_rate_constant is None


@pytest.mark.parametrize("citation", ["", "   ", None])
def test_pinned_constants_need_a_citation(citation):
    with pytest.raises(ValueError, match="citation"):
        pinned(half_life=Quantity(8.04, "d"), citation=citation)


def test_pinned_constants_need_at_least_one_value():
    with pytest.raises(ValueError, match="hold nothing"):
        pinned(citation="NRC RG 8.39 Rev. 1")


@pytest.mark.parametrize("arguments, message", [
    ({"half_life": Quantity(8.04, "MBq")}, "half_life must be a time"),
    ({"half_life": Quantity(0, "d")}, "greater than zero"),
    ({"half_life": Quantity(math.nan, "d")}, "finite"),
    ({"half_life": 8.04}, "Quantity"),
    ({"exposure_rate_constant": Quantity(2.2, "R/h")}, "exposure_rate_constant must be"),
    ({"exposure_rate_constant": Quantity(-2.2, "R*cm**2/(mCi*h)")}, "greater than zero"),
])
def test_pinned_constants_are_checked(arguments, message):
    with pytest.raises(ValueError, match=message):
        pinned(citation="a source", **arguments)


def test_pinned_gamma_accepts_an_equivalent_unit():
    # 1 R·cm²/(mCi·h) = 1e-4 R·m²/(mCi·h)
    constants = pinned(exposure_rate_constant=Quantity(2.2e-4, "R*m**2/(mCi*h)"), citation="a source")
    assert constants.exposure_rate_constant.m_as(nuclides.GAMMA_UNIT) == pytest.approx(2.2, rel=1e-12)
