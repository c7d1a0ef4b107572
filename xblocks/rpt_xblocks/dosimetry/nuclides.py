"""Nuclide half-lives (ICRP Publication 107) and the constants particular sources publish.

Contract:
- `ICRP107` maps canonical names ("Lu-177", "Tc-99m") to `NuclideConstants` holding the half-life
  exactly as the reference sheet (rpt-facts.md, section 4) prints it, cited "ICRP Publication 107".
- `RG839` maps names to the constants NRC RG 8.39 Rev. 1 takes from NUREG-1492 Table A.1 (sheet
  section 3): the exposure-rate constant Γ in R·cm²/(mCi·h) and the physical half-life Tp. They are
  kept apart from `ICRP107` because a calculation that reproduces a published answer must use that
  source's constants (RG 8.39 uses Tp = 8.04 d for I-131; ICRP 107 gives 8.0207 d). Values the
  sheet marks UNCONFIRMED (Γ for Lu-177, Y-90, Ra-223, Ac-225, Pb-212, Tb-161) are absent.
- `canonical_name(text)` reads "Lu-177", "Lu177", "177Lu", "lu-177", "Tc-99m", "99mTc"; `nuclide(name)`
  and `rg839_constants(name)` look a nuclide up. A malformed or unknown name raises
  `UnknownNuclideError` (a LookupError) whose message says what is known and what to do.
- `pinned(citation=..., half_life=..., exposure_rate_constant=...)` is how a scenario states its own
  constants with their source; values are checked as physics.py checks arguments (ValueError).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pint

from rpt_xblocks.dosimetry.physics import GAMMA_UNIT, checked
from rpt_xblocks.quantities import Quantity

ICRP107_CITATION = "ICRP Publication 107"
NUREG1492_CITATION = "NRC Regulatory Guide 8.39 Rev. 1 (2020); NUREG-1492 Table A.1"


class UnknownNuclideError(LookupError):
    """A nuclide name that cannot be read, or that a table does not hold."""


@dataclass(frozen=True)
class NuclideConstants:
    """Constants for one nuclide as one source gives them. `half_life` is a time, or None if the
    source gives none; `exposure_rate_constant` (Γ) is in R·cm²/(mCi·h), or None; `nuclide` is a
    canonical name, or None for constants a scenario pinned without naming the nuclide."""
    citation: str
    nuclide: str | None = None
    half_life: pint.Quantity | None = None
    exposure_rate_constant: pint.Quantity | None = None


def pinned(*, citation: str, nuclide: str | None = None, half_life: pint.Quantity | None = None,
           exposure_rate_constant: pint.Quantity | None = None) -> NuclideConstants:
    """Constants a scenario takes from one published source, e.g.
    `pinned(half_life=Quantity(8.04, "d"), citation="NRC RG 8.39 Rev. 1")`. `citation` must name the
    source; at least one constant is required; a half-life must be a time > 0 and Γ an exposure-rate
    constant (R·cm²/(mCi·h) or another unit of that kind) > 0. `nuclide` may be any readable name."""
    if not isinstance(citation, str) or not citation.strip():
        raise ValueError("Pinned constants need a citation naming their source, for example "
                         "citation=\"NRC Regulatory Guide 8.39 Rev. 1 (2020)\".")
    if half_life is None and exposure_rate_constant is None:
        raise ValueError(f"Pinned constants from {citation!r} hold nothing: give half_life, "
                         "exposure_rate_constant or both.")
    if half_life is not None:
        checked(half_life, "d", "half_life", "positive")
    if exposure_rate_constant is not None:
        checked(exposure_rate_constant, GAMMA_UNIT, "exposure_rate_constant", "positive")
    return NuclideConstants(citation.strip(), None if nuclide is None else canonical_name(nuclide),
                            half_life, exposure_rate_constant)


_SUFFIX_FORM = re.compile(r"(?P<symbol>[A-Za-z]{1,2}) ?-? ?(?P<mass>[0-9]{1,3})(?P<metastable>[mM]?)")
_PREFIX_FORM = re.compile(r"(?P<mass>[0-9]{1,3})(?P<metastable>m?) ?-? ?(?P<symbol>[A-Za-z]{1,2})")


def canonical_name(text: str) -> str:
    """"Lu-177" for "Lu-177", "Lu177", "lu 177", "177Lu" or "177-Lu"; "Tc-99m" for "Tc99m" or "99mTc"."""
    match = (_SUFFIX_FORM.fullmatch(text.strip()) or _PREFIX_FORM.fullmatch(text.strip())) \
        if isinstance(text, str) else None
    if not match:
        raise UnknownNuclideError(f"{text!r} is not a nuclide name: write it like Lu-177, Lu177 or 177Lu "
                                  "(Tc-99m, Tc99m or 99mTc for a metastable state).")
    metastable = "m" if match["metastable"] else ""
    return f"{match['symbol'].capitalize()}-{int(match['mass'])}{metastable}"


def _icrp107(name: str, value: float, unit: str) -> tuple[str, NuclideConstants]:
    return name, NuclideConstants(ICRP107_CITATION, name, Quantity(value, unit))


# Sheet section 4, half-lives exactly as printed there (units as printed).
ICRP107: dict[str, NuclideConstants] = dict((
    _icrp107("Lu-177", 6.647, "d"),
    _icrp107("I-131", 8.0207, "d"),
    _icrp107("Ra-223", 11.43, "d"),
    _icrp107("Y-90", 64.10, "h"),
    _icrp107("Sm-153", 46.50, "h"),
    _icrp107("Sr-89", 50.53, "d"),
    _icrp107("Ac-225", 10.0, "d"),
    _icrp107("Pb-212", 10.64, "h"),
    _icrp107("Tb-161", 6.906, "d"),
    _icrp107("Tc-99m", 6.015, "h"),
))

# Sheet section 3: Γ in R·cm²/(mCi·h) and Tp as NUREG-1492 Table A.1 gives them for RG 8.39.
RG839: dict[str, NuclideConstants] = {
    name: NuclideConstants(NUREG1492_CITATION, name, Quantity(tp_days, "d"), Quantity(gamma, GAMMA_UNIT))
    for name, gamma, tp_days in (("I-131", 2.2, 8.04), ("Tc-99m", 0.756, 0.251), ("Sm-153", 0.425, 1.946))
}


def nuclide(name: str) -> NuclideConstants:
    """The ICRP Publication 107 entry for `name` (any spelling `canonical_name` reads)."""
    key = canonical_name(name)
    if key not in ICRP107:
        raise UnknownNuclideError(f"{key} is not in the course's nuclide table ({ICRP107_CITATION}); "
                                  f"it holds {', '.join(ICRP107)}. Pin the constants a scenario needs "
                                  "with pinned(..., citation=...).")
    return ICRP107[key]


def rg839_constants(name: str) -> NuclideConstants:
    """Γ and Tp for `name` as RG 8.39 / NUREG-1492 publish them (I-131, Tc-99m, Sm-153 only)."""
    key = canonical_name(name)
    if key not in RG839:
        raise UnknownNuclideError(f"No RG 8.39 / NUREG-1492 constants for {key} are on the reference sheet "
                                  f"(it has them for {', '.join(RG839)}; others are UNCONFIRMED). Pin the "
                                  "scenario's own constants with pinned(..., citation=...).")
    return RG839[key]
